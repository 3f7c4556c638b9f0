// Interview Coach: a click on a row of a postings table picks that posting.
// The table is Markdown (numbered rows: "# | Title | Company | ..."); a click sends the row's number
// as the user's message, exactly as if it had been typed, so the app has one way to pick by number.
(function () {
  "use strict";

  function isPostingsTable(table) {
    var head = table.querySelectorAll("thead th");
    return head.length >= 2 && head[0].textContent.trim() === "#" && head[1].textContent.trim() === "Title";
  }

  function rowNumber(row) {
    var cell = row.querySelector("td");
    var text = cell ? cell.textContent.trim() : "";
    return /^\d+$/.test(text) ? text : null;
  }

  function send(text) {
    var input = document.getElementById("chat-input");
    if (!input) return;
    var setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
    setter.call(input, text); // React keeps its own value: set it the way a keystroke would
    input.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(function () {
      var submit = document.getElementById("chat-submit");
      if (submit && !submit.disabled) submit.click();
    }, 0);
  }

  function mark(root) {
    root.querySelectorAll(".message-content table").forEach(function (table) {
      if (!isPostingsTable(table)) return;
      table.classList.add("coach-postings");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        if (rowNumber(row) && !row.classList.contains("coach-pick")) {
          row.classList.add("coach-pick");
          row.title = "Practise this posting";
        }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("tr.coach-pick");
    if (!row || event.target.closest("a, button")) return;
    var number = rowNumber(row);
    if (number) send(number);
  });

  new MutationObserver(function () { mark(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
