/* Battle map charts (ECharts, served locally) and the big screen's rotating panels. */
(function () {
  "use strict";
  var COLOURS = {green: "#2f9e44", yellow: "#f2c200", orange: "#f08c00", red: "#d9480f"};

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function totals() {
    var el = document.getElementById("totals-chart"), values = json("totals-data");
    if (!el || !values) return;
    var labels = JSON.parse(el.dataset.labels);
    var data = Object.keys(labels).map(function (k) {
      return {name: labels[k], value: values[k] || 0, itemStyle: {color: COLOURS[k]}};
    });
    echarts.init(el).setOption({animation: false, tooltip: {}, series: [{type: "pie", radius: ["45%", "80%"], label: {formatter: "{b} {c}"}, data: data}]});
  }

  function trend() {
    var el = document.getElementById("trend-chart"), data = json("trend-data");
    if (!el || !data) return;
    var dark = el.dataset.dark === "1", chart = echarts.init(el, dark ? "dark" : null);
    var big = dark ? 26 : 12;
    function show(i) {
      var s = i < 0 ? data.county : data.units[i];
      chart.setOption({
        animation: false,
        backgroundColor: "transparent",
        tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; }},
        legend: {top: 0, textStyle: {fontSize: big}},
        grid: {left: 70, right: 30, top: dark ? 70 : 40, bottom: 40},
        xAxis: {type: "category", data: data.months, axisLabel: {fontSize: big}},
        yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%", fontSize: big}},
        series: [
          {name: el.dataset.green, type: "line", data: s.green, itemStyle: {color: "#40c057"}, lineStyle: {width: dark ? 5 : 2}, symbolSize: dark ? 12 : 6},
          {name: el.dataset.red, type: "line", data: s.red, itemStyle: {color: "#fa5252"}, lineStyle: {width: dark ? 5 : 2}, symbolSize: dark ? 12 : 6}
        ]
      });
    }
    show(-1);
    var pick = document.getElementById("trend-unit");
    if (pick) pick.addEventListener("change", function () { show(parseInt(pick.value, 10)); });
  }

  function history() {
    var el = document.getElementById("history-chart"), data = json("history-data");
    if (!el || !data) return;
    var labels = JSON.parse(el.dataset.labels);
    echarts.init(el).setOption({
      animation: false, tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 40, right: 20, top: 40, bottom: 30},
      xAxis: {type: "category", data: data.months}, yAxis: {type: "value"},
      series: ["green", "yellow", "orange", "red"].map(function (k) {
        return {name: labels[k], type: "bar", stack: "n", data: data.series[k], itemStyle: {color: COLOURS[k]}};
      })
    });
  }

  /* Panels turn every data-rotate seconds; the pointer over them pauses the turning. */
  function rotate() {
    var frame = document.querySelector(".screen-frame");
    if (!frame) return;
    var panels = Array.prototype.slice.call(frame.querySelectorAll(".panel"));
    var main = frame.querySelector(".screen-main"), dots = frame.querySelector(".dots");
    if (!panels.length || !main) return;
    var current = 0, seconds = parseInt(frame.dataset.rotate, 10) || 20;
    panels.forEach(function () { dots.appendChild(document.createElement("i")); });
    function show(n) {
      current = (n + panels.length) % panels.length;
      panels.forEach(function (p, i) { p.classList.toggle("active", i === current); });
      Array.prototype.forEach.call(dots.children, function (d, i) { d.classList.toggle("on", i === current); });
      frame.dataset.panel = String(current);
    }
    main.addEventListener("mouseenter", function () { frame.dataset.paused = "true"; });
    main.addEventListener("mouseleave", function () { frame.dataset.paused = "false"; });
    setInterval(function () { if (frame.dataset.paused !== "true") show(current + 1); }, seconds * 1000);
    window.kaoheScreen = {show: show, count: panels.length};
    show(0);
  }

  document.addEventListener("DOMContentLoaded", function () {
    rotate();
    if (!window.echarts) return;
    totals();
    trend();
    history();
  });
})();
