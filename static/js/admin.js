/* Mobility Hub: accessibility fixes to widgets of Django's admin (loaded by templates/admin/base_site.html).
   They run on every change of the page, as the widgets are built by scripts (on load, and when an inline
   row is added), and change only attributes, never what the widgets do. */
'use strict';
{
    // The filter boxes of Django's "filter_horizontal" widget (SelectFilter2.js) are named by an icon
    // <span aria-label="…"> inside their <label>; aria-label is not allowed on a span with no role, so
    // the icon is given the role of an image, which it is, and keeps its name.
    function nameFilterIcons(root) {
        root.querySelectorAll('.search-label-icon[aria-label]:not([role])').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
    }

    // The search box Select2 puts inside a multiple autocomplete (occupations) has no label: it is named
    // after its field, from the field's <label> or, in a tabular inline, the column's header or the
    // folded cell's label.
    function fieldName(select) {
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        if (label) {
            return label.textContent.trim().replace(/:$/, '');
        }
        const cell = select.closest('td[class*="field-"]');
        const table = select.closest('table');
        if (cell && table) {
            const name = [...cell.classList].find((item) => item.startsWith('field-')).slice('field-'.length);
            const header = table.querySelector(`thead th.column-${CSS.escape(name)}`);
            if (header) {
                return header.textContent.trim();
            }
        }
        return select.name;
    }

    function nameSearchBoxes(root) {
        root.querySelectorAll('.select2-container .select2-search__field:not([aria-label])').forEach((box) => {
            const container = box.closest('.select2-container');
            const select = container && container.previousElementSibling;
            if (select && select.tagName === 'SELECT') {
                box.setAttribute('aria-label', fieldName(select));
            }
        });
    }

    function fix() {
        nameFilterIcons(document);
        nameSearchBoxes(document);
    }

    let pending = false;
    const observer = new MutationObserver(() => {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(() => {
                pending = false;
                fix();
            });
        }
    });
    document.addEventListener('DOMContentLoaded', () => {
        fix();
        observer.observe(document.body, {childList: true, subtree: true});
    });
}
