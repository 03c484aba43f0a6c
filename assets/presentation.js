/*
 * Meetings: presentation mode and printing of the territory profile
 * (dashboard/pages/territoire.py). No inline script anywhere (the app's
 * Content-Security-Policy forbids them): everything is delegated from the
 * document, so it keeps working when Dash re-renders the page.
 *
 * Presentation mode (?mode=presentation): one .presentation-slide shown at a
 * time; ←/→, PageUp/PageDown (presentation remotes), Home/End and the
 * "Précédent"/"Suivant" buttons move between them; Escape (outside full
 * screen) leaves. Keys typed in the territory picker are left alone. Each
 * 960×540 chart is scaled (CSS transform, vector-sharp) to fill the screen.
 * The "Mode présentation" link asks for full screen (only possible from a
 * click), "Quitter la présentation" leaves it.
 *
 * Printing: "Imprimer / PDF" opens the browser's print dialog; before
 * printing each chart is drawn at the A4 width (assets/print.css).
 */
(function () {
  'use strict';

  var SLIDE_WIDTH = 960;
  var SLIDE_HEIGHT = 540;
  var PRINT_WIDTH = 660; // dashboard/export/slides.py PRINT_WIDTH
  var FORM_TARGETS = 'input, textarea, select, [contenteditable="true"], ' +
    '[role="combobox"], [role="listbox"], [role="option"], .dash-dropdown';

  function container() {
    return document.querySelector('.presentation-mode');
  }

  function slidesOf(root) {
    return Array.prototype.slice.call(root.querySelectorAll('.presentation-slide'));
  }

  function activeIndex(root) {
    var slides = slidesOf(root);
    for (var i = 0; i < slides.length; i++) {
      if (slides[i].classList.contains('is-active')) { return i; }
    }
    return 0;
  }

  function show(root, index) {
    var slides = slidesOf(root);
    if (!slides.length) { return; }
    index = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle('is-active', i === index);
      slide.setAttribute('aria-hidden', i === index ? 'false' : 'true');
    });
    root.setAttribute('data-slide', String(index + 1));
    var counter = root.querySelector('.presentation-counter');
    if (counter) { counter.textContent = (index + 1) + ' / ' + slides.length; }
    var prev = root.querySelector('.presentation-prev');
    var next = root.querySelector('.presentation-next');
    if (prev) { prev.disabled = index === 0; }
    if (next) { next.disabled = index === slides.length - 1; }
  }

  function move(step) {
    var root = container();
    if (root) { show(root, activeIndex(root) + step); }
  }

  /* Scale each 960×540 chart to the room its slide leaves beside the summary. */
  function fit(root) {
    var stage = root.querySelector('.presentation-stage');
    if (!stage) { return; }
    var style = window.getComputedStyle(stage);
    var width = stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var height = stage.clientHeight - parseFloat(style.paddingTop) -
      parseFloat(style.paddingBottom);
    slidesOf(root).forEach(function (slide) {
      var graph = slide.querySelector('.presentation-graph');
      if (!graph) { return; }
      var summary = slide.querySelector('.presentation-summary');
      var room = height - (summary ? summary.offsetHeight + 16 : 0);
      var scale = Math.max(0.3, Math.min(width / SLIDE_WIDTH, room / SLIDE_HEIGHT));
      graph.style.setProperty('--slide-scale', scale.toFixed(4));
    });
  }

  /* A new presentation (first render, or another territory: React may reuse the
     same element, so the view it shows is compared, not the element). */
  function setup() {
    var root = container();
    if (!root) { return; }
    var view = root.getAttribute('data-view') || '';
    if (root.getAttribute('data-ready') === view) { return; }
    root.setAttribute('data-ready', view);
    show(root, 0);
    fit(root);
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      setup();
    });
  }

  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  window.addEventListener('resize', function () {
    var root = container();
    if (root) { fit(root); }
  });
  document.addEventListener('fullscreenchange', function () {
    var root = container();
    if (root) { window.requestAnimationFrame(function () { fit(root); }); }
  });

  document.addEventListener('keydown', function (event) {
    var root = container();
    if (!root || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var target = event.target;
    if (target && target.closest && (target.closest(FORM_TARGETS) ||
        target.closest('.presentation-picker[open]'))) {
      return; // typing in the territory picker
    }
    var step = 0;
    switch (event.key) {
      case 'ArrowRight': case 'PageDown': step = 1; break;
      case 'ArrowLeft': case 'PageUp': step = -1; break;
      case 'Home': show(root, 0); event.preventDefault(); return;
      case 'End': show(root, slidesOf(root).length - 1); event.preventDefault(); return;
      case 'Escape':
        if (!document.fullscreenElement) {
          var leave = root.querySelector('.presentation-leave');
          if (leave) { leave.click(); }
        }
        return;
      default: return;
    }
    event.preventDefault();
    move(step);
  });

  function requestFullscreen() {
    var element = document.documentElement;
    if (!document.fullscreenElement && element.requestFullscreen) {
      element.requestFullscreen().catch(function () { /* refused: fill the window */ });
    }
  }

  function exitFullscreen() {
    if (document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () { /* already left */ });
    }
  }

  /* Before printing: each chart of the page drawn again at the width of an A4
     page (Plotly.relayout draws synchronously), so its text keeps its size; a
     zoom (assets/print.css) is the fallback if it is still wider. After
     printing, the charts take their container's width again. */
  var printed = [];

  function screenGraphs() {
    var all = document.querySelectorAll('.js-plotly-plot');
    return Array.prototype.filter.call(all, function (gd) {
      return !gd.closest('.print-pages') && !gd.closest('.presentation-mode');
    });
  }

  function fitForPrint() {
    var Plotly = window.Plotly;
    screenGraphs().forEach(function (gd) {
      var layout = gd._fullLayout;
      if (Plotly && layout && layout.width > PRINT_WIDTH && printed.indexOf(gd) < 0) {
        try {
          Plotly.relayout(gd, { width: PRINT_WIDTH });
          printed.push(gd);
        } catch (err) { /* keep the zoom below */ }
      }
      var width = (gd._fullLayout && gd._fullLayout.width) || gd.offsetWidth;
      var zoom = width > PRINT_WIDTH ? PRINT_WIDTH / width : 1;
      gd.style.setProperty('--print-zoom', zoom.toFixed(4));
    });
  }

  function afterPrint() {
    var Plotly = window.Plotly;
    var graphs = printed;
    printed = [];
    graphs.forEach(function (gd) {
      if (Plotly && document.body.contains(gd)) {
        Plotly.relayout(gd, { width: null, autosize: true }).then(function () {
          return Plotly.Plots.resize(gd);
        }).catch(function () { /* the page changed meanwhile */ });
      }
    });
  }

  window.addEventListener('beforeprint', fitForPrint);
  window.addEventListener('afterprint', afterPrint);
  if (window.matchMedia) {
    var printMedia = window.matchMedia('print');
    var onPrintChange = function (event) {
      if (event.matches) { fitForPrint(); } else { afterPrint(); }
    };
    if (printMedia.addEventListener) {
      printMedia.addEventListener('change', onPrintChange);
    } else if (printMedia.addListener) {
      printMedia.addListener(onPrintChange);
    }
  }

  document.addEventListener('click', function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    if (!target) { return; }
    if (target.closest('#territoire-imprimer')) {
      fitForPrint();
      window.print();
    } else if (target.closest('#territoire-mode-presentation')) {
      requestFullscreen(); // a click: the only moment full screen may be asked for
    } else if (target.closest('.presentation-leave')) {
      exitFullscreen();
    } else if (target.closest('.presentation-prev')) {
      move(-1);
    } else if (target.closest('.presentation-next')) {
      move(1);
    }
  });
}());
