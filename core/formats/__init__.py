"""The hub's date and number formats per language (settings.FORMAT_MODULE_PATH), over Django's own.

One date format per language on every page, day first in all four; "Last verified", the sources, the
thresholds, the comparison and the change list all use DATE_FORMAT (SHORT_DATE_FORMAT is the same, so a
template that asks for it still shows the one format). Amounts are grouped by thousands (NUMBER_GROUPING;
the money filter forces grouping, so years and counts elsewhere stay ungrouped).

Arabic pages write numbers with Latin digits, a decimal comma and a point between thousands (55.770,00),
as in Morocco, Tunisia and Algeria and as Django's Arabic formats already do: the same digits as the dates,
licence numbers, article numbers and ISCO codes beside them. Forms accept Arabic-Indic digits too.
"""
