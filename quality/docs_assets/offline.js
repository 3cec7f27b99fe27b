/* jixiao: stands in for jQuery, Bootstrap and bootstrap-table, which GX's
   Data Docs load from CDNs. It covers what the pages call: $(document).ready,
   $(selector).bootstrapTable({columns, data}) (the index lists its validation
   runs and suites that way) and a few effects, which do nothing here. */
(function () {
  "use strict";

  function Selection(nodes) {
    this.nodes = nodes;
  }
  ["on", "off", "fadeIn", "fadeOut", "show", "hide", "modal", "tooltip", "popover", "collapse", "tab"].forEach(
    function (name) {
      Selection.prototype[name] = function () {
        return this;
      };
    }
  );
  Selection.prototype.parent = function () {
    return new Selection(this.nodes.map(function (n) { return n.parentNode; }).filter(Boolean));
  };
  Selection.prototype.data = function (key) {
    return this.nodes.length ? this.nodes[0].getAttribute("data-" + key) : undefined;
  };
  Selection.prototype.ready = function (fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
    return this;
  };
  Selection.prototype.bootstrapTable = function (options) {
    if (options && typeof options === "object") {
      this.nodes.forEach(function (table) { renderTable(table, options); });
    }
    return this;
  };

  function sortRows(rows, columns, options) {
    var column = columns.filter(function (c) { return c.field === options.sortName; })[0];
    if (!column) {
      return rows;
    }
    var key = column.sortName || column.field;
    var sign = options.sortOrder === "desc" ? -1 : 1;
    return rows.slice().sort(function (a, b) {
      return a[key] < b[key] ? -sign : a[key] > b[key] ? sign : 0;
    });
  }

  function renderTable(table, options) {
    var columns = options.columns || [];
    var rows = sortRows(options.data || [], columns, options);
    var head = document.createElement("thead");
    var headRow = document.createElement("tr");
    columns.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = c.title || c.field;
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      if (row._table_row_link_path) {
        tr.className = "clickable-row";
        tr.setAttribute("data-href", row._table_row_link_path);
        tr.addEventListener("click", function () { window.location = row._table_row_link_path; });
      }
      columns.forEach(function (c) {
        var td = document.createElement("td");
        td.innerHTML = row[c.field] === undefined || row[c.field] === null ? "" : String(row[c.field]);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.innerHTML = "";
    table.appendChild(head);
    table.appendChild(body);
  }

  function $(selector) {
    if (typeof selector === "function") {
      return new Selection([document]).ready(selector);
    }
    if (typeof selector !== "string") {
      return new Selection(selector ? [selector] : []);
    }
    try {
      return new Selection(Array.prototype.slice.call(document.querySelectorAll(selector)));
    } catch (err) {
      return new Selection([]);
    }
  }
  window.$ = window.jQuery = $;
})();
