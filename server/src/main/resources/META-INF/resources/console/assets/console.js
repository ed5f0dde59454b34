// The console's one script (docs/console.md): everything works without it. It shows each UTC time also in the
// browser's own time zone, as a tooltip, and moves the focus to a page's notice after an action.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var utc = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC$/;
  document.querySelectorAll("td, dd").forEach(function (cell) {
    var m = utc.exec(cell.textContent.trim());
    if (m) {
      cell.title = new Date(m[1] + "T" + m[2] + "Z").toLocaleString();
    }
  });
  var notice = document.querySelector(".notice");
  if (notice) {
    notice.setAttribute("tabindex", "-1");
    notice.focus();
  }
});
