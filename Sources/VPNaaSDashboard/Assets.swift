import Hummingbird

/// The dashboard's stylesheet and script: plain CSS and a little plain JavaScript (no build step, no
/// downloads). Pages work without the script; it adds live updates, local times and confirmations.
enum Assets {
    static let css = #"""
        :root { --fg: #1b1f24; --muted: #59636e; --bg: #f6f8fa; --card: #fff; --line: #d0d7de; --accent: #0b5cad;
          --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--fg); background: var(--bg); font-size: 15px; line-height: 1.45; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
          outline: 3px solid #f0b400; outline-offset: 1px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 6px; z-index: 9; }
        .top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 16px; background: #0d1b2a; color: #fff; }
        .top a { color: #fff; } .brand { font-weight: 700; text-decoration: none; font-size: 17px; }
        .top nav ul { display: flex; flex-wrap: wrap; gap: 2px 12px; list-style: none; margin: 0; padding: 0; }
        .top nav a { text-decoration: none; padding: 4px 2px; } .top nav a[aria-current] { border-bottom: 2px solid #f0b400; }
        .who { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-left: auto; }
        .who label { font-size: 13px; } .user { max-width: 16em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        main { max-width: 1200px; margin: 0 auto; padding: 16px; }
        main:focus { outline: none; }
        h1 { font-size: 24px; margin: 8px 0 16px; overflow-wrap: anywhere; } h2 { font-size: 18px; margin: 24px 0 8px; }
        .kind { color: var(--muted); font-weight: 400; }
        .head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; }
        .actions { display: flex; gap: 8px; align-items: center; } .actions form.inline { margin: 0; }
        td.mono { white-space: nowrap; overflow-wrap: normal; }
        .scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 13px; color: var(--muted); font-weight: 600; background: #f0f3f6; }
        td { overflow-wrap: anywhere; } td.name { min-width: 10em; max-width: 28em; } td.num { text-align: right; white-space: nowrap; }
        .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
        .status { font-weight: 600; white-space: nowrap; }
        [data-status="ACTIVE"] { color: var(--ok); } [data-status="DOWN"], [data-status="ERROR"] { color: var(--bad); }
        [data-status^="PENDING"], [data-status="BUILD"] { color: var(--warn); }
        .reason { color: var(--bad); font-size: 13px; } .reason:empty { display: none; }
        .badge { font-size: 13px; padding: 1px 8px; border-radius: 10px; } .badge.bad { background: #ffebe9; color: var(--bad); }
        .count { color: var(--muted); font-weight: 400; }
        .empty, .hint, small { color: var(--muted); }
        .button, button { display: inline-block; font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--line);
          background: #fff; color: var(--fg); text-decoration: none; cursor: pointer; }
        .primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        .danger { color: var(--bad); border-color: #f1aeb5; } .small { padding: 2px 8px; font-size: 13px; }
        form.inline { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 4px 0; }
        form.resource { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 16px; max-width: 720px; }
        fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 12px; } legend { font-weight: 600; }
        details { margin: 0 0 12px; } summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
        .field { margin: 0 0 12px; display: flex; flex-direction: column; gap: 3px; }
        .field:has(input[type=checkbox]) { flex-direction: row; flex-wrap: wrap; align-items: center; gap: 6px; }
        .field small { flex-basis: 100%; }
        label { font-weight: 600; } label.check { font-weight: 400; }
        input, select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #8c959f; border-radius: 5px; max-width: 100%; background: #fff; }
        .field input:not([type=checkbox]), .field select, .field textarea { width: 100%; }
        .invalid input, .invalid select, .invalid textarea { border-color: var(--bad); }
        .field-error, .error { color: var(--bad); font-weight: 600; margin: 4px 0; overflow-wrap: anywhere; }
        p.error { background: #ffebe9; border: 1px solid #f1aeb5; padding: 8px 12px; border-radius: 6px; }
        .notice, .flash { background: #ddf4ff; border: 1px solid #54aeff; padding: 8px 12px; border-radius: 6px; }
        .buttons { display: flex; gap: 12px; align-items: center; }
        dl.attributes, dl.live { display: grid; grid-template-columns: minmax(9em, max-content) 1fr; gap: 4px 16px;
          background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 0; }
        dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
        .login { max-width: 380px; margin: 48px auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 24px; }
        .handoff { background: var(--card); border: 2px solid var(--ok); border-radius: 8px; padding: 16px; }
        .bigip { font-size: 28px; font-weight: 700; margin: 8px 0; }
        ul.plain { list-style: none; padding: 0; } ul.plain li { margin: 4px 0; }
        ol.events { padding-left: 20px; } ol.events time { color: var(--muted); }
        .js .js-hide { display: none; }
        @media (max-width: 640px) {
          main { padding: 10px; } h1 { font-size: 20px; }
          .who { margin-left: 0; } dl.attributes, dl.live { grid-template-columns: 1fr; } dd { margin-bottom: 6px; }
        }
        """#

    static let js = #"""
        "use strict";
        document.documentElement.classList.add("js");
        (function () {
          function localTimes(root) {
            root.querySelectorAll("time[datetime]").forEach(function (t) {
              var d = new Date(t.getAttribute("datetime"));
              if (!isNaN(d)) { t.textContent = d.toLocaleString(); t.title = t.getAttribute("datetime"); }
            });
          }
          function bytes(n) {
            var v = Number(n); if (!isFinite(v)) return n;
            var u = ["B", "KiB", "MiB", "GiB", "TiB"], i = 0;
            while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
            return (i ? v.toFixed(1) : String(v)) + " " + u[i];
          }
          function show(el, value) {
            var fmt = el.getAttribute("data-format");
            if (value === null || value === undefined || value === "") { el.textContent = fmt === "bytes" ? "0 B" : (el.classList.contains("reason") ? "" : "—"); return; }
            if (fmt === "time") { el.innerHTML = ""; var t = document.createElement("time"); t.setAttribute("datetime", value); t.textContent = value; el.appendChild(t); localTimes(el); return; }
            el.textContent = fmt === "bytes" ? bytes(value) : String(value);
            if (el.hasAttribute("data-status")) el.setAttribute("data-status", String(value));
          }
          function poll(box) {
            var url = box.getAttribute("data-live");
            fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
              if (r.redirected || !(r.headers.get("content-type") || "").startsWith("application/json")) { location.href = "/dashboard/login?reason=expired"; return null; }
              return r.json();
            }).then(function (doc) {
              if (!doc) return;
              box.querySelectorAll("[data-id]").forEach(function (row) {
                var item = doc.items[row.getAttribute("data-id")]; if (!item) return;
                row.querySelectorAll("[data-field]").forEach(function (el) {
                  var key = el.getAttribute("data-field"); if (key in item) show(el, item[key]);
                });
                if (row.hasAttribute("data-field") && row.getAttribute("data-field") in item) show(row, item[row.getAttribute("data-field")]);
              });
              box.setAttribute("data-updated", new Date().toISOString());
            }).catch(function () {});
          }
          document.addEventListener("DOMContentLoaded", function () {
            localTimes(document);
            document.querySelectorAll("[data-format=bytes]").forEach(function (el) { show(el, el.textContent.trim() === "—" ? "0" : el.textContent.trim()); });
            document.querySelectorAll("select[data-autosubmit]").forEach(function (s) { s.addEventListener("change", function () { s.form.submit(); }); });
            document.querySelectorAll("form[data-confirm]").forEach(function (f) {
              f.addEventListener("submit", function (e) { if (!confirm(f.getAttribute("data-confirm"))) e.preventDefault(); });
            });
            document.querySelectorAll("[data-live]").forEach(function (box) { setInterval(function () { poll(box); }, 2000); });
          });
        })();
        """#
}

extension Dashboard {
    func registerStatic<Context: RequestContext>(on group: RouterGroup<Context>) {
        group.get("static/app.css") { _, _ in DashboardHTTP.asset(Assets.css, type: "text/css; charset=utf-8") }
        group.get("static/app.js") { _, _ in DashboardHTTP.asset(Assets.js, type: "text/javascript; charset=utf-8") }
    }
}
