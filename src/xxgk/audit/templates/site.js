// The audit site's script: search and filter for the tables, and the severity-stacked charts.
(function () {
  function filter(targetId) {
    var q = document.querySelector('#q[data-target="' + targetId + '"]');
    var only = document.querySelector('#only-errors[data-target="' + targetId + '"]');
    var rows = document.querySelectorAll(targetId === "grid" ? "#grid tbody tr" : "table.findings tbody tr");
    var text = q ? q.value.trim().toLowerCase() : "";
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = (!text || tr.textContent.toLowerCase().indexOf(text) >= 0) &&
               (!only || !only.checked || tr.getAttribute("data-e") !== "0");
      tr.style.display = ok ? "" : "none";
      if (ok) shown += 1;
    });
    var count = document.getElementById(targetId + "-count");
    if (count) count.textContent = shown + " / " + rows.length;
  }
  document.querySelectorAll("#q, #only-errors").forEach(function (el) {
    el.addEventListener("input", function () { filter(el.getAttribute("data-target")); });
    el.addEventListener("change", function () { filter(el.getAttribute("data-target")); });
  });
  if (document.getElementById("grid")) filter("grid");

  window.xxgkCharts = function () {
    var data = JSON.parse(document.getElementById("chart-data").textContent);
    function stacked(id, part, horizontal) {
      var el = document.getElementById(id);
      // Horizontal charts grow with their bars, so a label never has less than 24 px.
      if (horizontal) el.style.height = Math.max(200, 110 + 24 * part.labels.length) + "px";
      var chart = echarts.init(el, null, {renderer: "canvas"});
      var series = Object.keys(part.series).map(function (sev) {
        return {name: data.names[sev], type: "bar", stack: "all", data: part.series[sev],
                itemStyle: {color: data.colours[sev]}};
      });
      var cat = {type: "category", data: part.labels,
                 axisLabel: {interval: 0, width: horizontal ? 310 : 80, overflow: "truncate"}};
      var val = {type: "value", minInterval: 1};
      chart.setOption({
        animation: false,
        title: {text: data.titles[id.replace("chart-", "")], subtext: (data.subtitles || {})[id.replace("chart-", "")] || "",
                left: "center", textStyle: {fontSize: 14}, itemGap: 4},
        tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
        legend: {top: 52},
        grid: {left: horizontal ? 330 : 50, right: 30, top: 88, bottom: 30},
        xAxis: horizontal ? val : cat,
        yAxis: horizontal ? Object.assign({inverse: true}, cat) : val,
        series: series
      });
      el.setAttribute("data-drawn", "1");
    }
    stacked("chart-rule", data.rule, true);
    stacked("chart-year", data.year, false);
    stacked("chart-agency", data.agency, true);
  };
})();
