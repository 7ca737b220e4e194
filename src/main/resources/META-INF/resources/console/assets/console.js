/* PreAudit console: draws the ECharts options the server rendered, and the rule editor's live checks.
   ES2017 at most (hospital PCs run Chromium 86). */
(function () {
  'use strict';

  function drawCharts() {
    if (typeof window.echarts === 'undefined') {
      return;
    }
    var nodes = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var chart = window.echarts.init(el);
      chart.setOption(JSON.parse(el.getAttribute('data-chart')));
      el.setAttribute('data-drawn', 'true');
    }
    window.addEventListener('resize', function () {
      for (var j = 0; j < nodes.length; j++) {
        var c = window.echarts.getInstanceByDom(nodes[j]);
        if (c) {
          c.resize();
        }
      }
    });
  }

  /*
   * htmx-style polling without a library: an element with data-poll has its content replaced by the fragment
   * at that URL every 1.5 s; when the fragment says the work has ended, the whole page is loaded again (it then
   * shows the result). A failed request is tried again at the next tick, quietly.
   */
  function poll(el) {
    window.setTimeout(function () {
      fetch(el.getAttribute('data-poll'), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) {
          if (r.redirected) {
            // the session ended (sign-in page): the whole page goes there
            window.location.reload();
            return undefined;
          }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html === undefined) {
            return;
          }
          if (html === null) {
            poll(el);
            return;
          }
          el.innerHTML = html;
          var state = el.querySelector('[data-state]');
          if (state && state.getAttribute('data-state') === 'ended') {
            window.location.reload();
          } else {
            poll(el);
          }
        })
        .catch(function () { poll(el); });
    }, 1500);
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts();
    var polled = document.querySelectorAll('[data-poll]');
    for (var i = 0; i < polled.length; i++) {
      poll(polled[i]);
    }
    if (window.PreAudit && window.PreAudit.onReady) {
      window.PreAudit.onReady.forEach(function (f) { f(); });
    }
  });
  window.PreAudit = window.PreAudit || { onReady: [] };
})();
