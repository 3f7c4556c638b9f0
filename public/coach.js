// Interview Coach: a click on a row of a postings table picks that posting, and a login refused by
// the throttle says how long to wait.
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

  // Chainlit's login page shows the HTTP status text of a refused login through its translations, and
  // has none for 429 ("Too Many Requests"): the person read the generic "Unable to sign in" and tried
  // again, each try making the wait longer. The server's own line ("Too many failed logins: try again
  // in N s") replaces that text. Only the text node's value changes, so React still owns the node and
  // writes the next error (a wrong password after the wait) over it as usual.
  var throttled = null;
  var realFetch = window.fetch;

  function isLogin(resource, options) {
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    var method = (options && options.method) || (resource && resource.method) || "GET";
    return method.toUpperCase() === "POST" && /\/login(\?|$)/.test(url);
  }

  function showThrottled() {
    var line = document.querySelector("form [role='alert'] p");
    if (!throttled || !line || line.textContent === throttled) return;
    var text = line.firstChild;
    if (text && text.nodeType === Node.TEXT_NODE && !text.nextSibling) text.nodeValue = throttled;
    else line.textContent = throttled;
  }

  window.fetch = function (resource, options) {
    var login = isLogin(resource, options);
    if (login) throttled = null;
    return realFetch.apply(this, arguments).then(function (response) {
      if (!login || response.status !== 429) return response;
      return response.clone().json().then(
        function (body) {
          throttled = body && typeof body.detail === "string" ? body.detail : null;
          setTimeout(showThrottled, 0); // the same error twice re-renders nothing: show it anyway
          return response;
        },
        function () { return response; }
      );
    });
  };

  new MutationObserver(function () { mark(document); showThrottled(); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
