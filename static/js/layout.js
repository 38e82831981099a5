// Page layout on narrow screens. Everything here is an improvement on pages that work without it.
{
  // The header's menu folds behind its Menu button below the width where its links fit in a row.
  const toggle = document.querySelector(".site-nav-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    };
    menu.classList.add("is-folded");
    toggle.hidden = false;
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.classList.contains("is-open")) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // A table's region shows its hint and takes a place in the tab order (so that the keyboard can
  // scroll it) only while the table is wider than the region.
  const boxes = document.querySelectorAll("[data-table-scroll]");
  if (boxes.length && "ResizeObserver" in window) {
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const region = entry.target;
        const overflowing = region.scrollWidth > region.clientWidth;
        region.parentElement.dataset.overflowing = String(overflowing);
        if (overflowing) {
          region.setAttribute("tabindex", "0");
        } else {
          region.removeAttribute("tabindex");
        }
      }
    });
    for (const box of boxes) {
      observer.observe(box.querySelector(".table-scroll-region"));
    }
  }

  // A stacked table is laid out as cards on a phone; its parts say they are still a table's.
  const roles = [
    ["", "table"],
    [":scope > thead, :scope > tbody, :scope > tfoot", "rowgroup"],
    [":scope > * > tr", "row"],
    [":scope > * > tr > td", "cell"],
    [":scope > thead > tr > th", "columnheader"],
    [":scope > tbody > tr > th", "rowheader"],
  ];
  for (const table of document.querySelectorAll("table.table-stack")) {
    for (const [selector, role] of roles) {
      const parts = selector ? table.querySelectorAll(selector) : [table];
      for (const part of parts) part.setAttribute("role", role);
    }
  }
}
