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

  document.addEventListener('DOMContentLoaded', function () {
    drawCharts();
    if (window.PreAudit && window.PreAudit.onReady) {
      window.PreAudit.onReady.forEach(function (f) { f(); });
    }
  });
  window.PreAudit = window.PreAudit || { onReady: [] };
})();
