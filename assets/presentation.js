/*
 * Meetings: presentation mode and printing of the territory profile
 * (dashboard/pages/territoire.py). No inline script anywhere (the app's
 * Content-Security-Policy forbids them): everything is delegated from the
 * document, so it keeps working when Dash re-renders the page.
 *
 * Presentation mode (?mode=presentation): one .presentation-slide shown at a
 * time; ←/→, PageUp/PageDown (presentation remotes), Home/End and the
 * "Précédent"/"Suivant" buttons move between them; Escape leaves (in full
 * screen the browser takes the first Escape to leave full screen: the hint says
 * so then). The key-figures board is scaled like the charts, so it fits any screen.
 * Keys typed in the territory picker are left alone. Each chart slide, laid out
 * at 816×320 (dashboard/export/presentation.py: wider and lower than the 960×540
 * PNG, so its text reaches 18 px at 1280×720), is scaled (CSS transform,
 * vector-sharp) to the room its summary and notes leave.
 * The "Mode présentation" link asks for full screen (only possible from a
 * click), "Quitter la présentation" leaves it.
 *
 * Printing: "Imprimer / PDF" opens the browser's print dialog; before
 * printing each chart is drawn at the A4 width (assets/print.css).
 *
 * The toolbar camera gives a 16:9 slide (960×540 at scale 2: 1920×1080 pixels),
 * like the ZIP: on a profile chart it downloads the chart's slides from the server
 * (`territoire/diapositives`, dashboard/export/slide_route.py: one PNG, or a small
 * ZIP of the numbered slides of a chart too tall for one); elsewhere the chart is laid out
 * again at the slide size (title and legend keep their distance from the top,
 * like `refit` in dashboard/export/slides.py). A chart whose own export height is
 * taller than a slide (toImageButtonOptions) keeps plotly's behaviour.
 */
(function () {
  'use strict';

  var SLIDE_WIDTH = 960;
  var SLIDE_HEIGHT = 540;
  var PRINT_WIDTH = 660; // dashboard/export/slides.py PRINT_WIDTH
  var BOARD_WIDTH = 1600; // .presentation-board in assets/presentation.css
  var SMALLEST_TEXT = 13; // px: a summary or note made smaller to leave a chart its room
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
      var frame = slide.querySelector('.presentation-board-frame');
      if (frame) {
        var board = frame.querySelector('.presentation-board');
        var natural = board.offsetHeight; // a transform does not change it
        var boardScale = Math.min(width / BOARD_WIDTH, height / Math.max(1, natural));
        frame.style.setProperty('--board-height', natural + 'px');
        frame.style.setProperty('--slide-scale', boardScale.toFixed(4));
        return;
      }
      var graph = slide.querySelector('.presentation-graph');
      if (!graph) { return; }
      /* The slide's own size (dashboard/export/presentation.py WIDTH × HEIGHT), then
         the room the summary and the notes under it leave. */
      var inner = graph.querySelector('.presentation-graph-inner');
      var slideWidth = inner.offsetWidth || SLIDE_WIDTH;
      var slideHeight = inner.offsetHeight || SLIDE_HEIGHT;
      var wanted = parseFloat(graph.getAttribute('data-min-scale')) || 0;
      var texts = Array.prototype.slice.call(
        slide.querySelectorAll('.presentation-summary, .presentation-notes'));
      texts.forEach(function (text) { text.style.removeProperty('font-size'); });
      function roomLeft() {
        return texts.reduce(function (room, text) {
          var margin = window.getComputedStyle(text);
          return room - text.offsetHeight - parseFloat(margin.marginTop) -
            parseFloat(margin.marginBottom);
        }, height);
      }
      var room = roomLeft();
      /* A long summary or note on a small screen: its text a little smaller (down to
         SMALLEST_TEXT), so the chart keeps the scale that makes its text 18 px. */
      for (var step = 0; step < 8 && wanted && width / slideWidth >= wanted &&
           room / slideHeight < wanted; step++) {
        var smaller = false;
        texts.forEach(function (text) {
          var size = parseFloat(window.getComputedStyle(text).fontSize);
          if (size > SMALLEST_TEXT) {
            text.style.fontSize = Math.max(SMALLEST_TEXT, size - 1) + 'px';
            smaller = true;
          }
        });
        if (!smaller) { break; }
        room = roomLeft();
      }
      var scale = Math.max(0.3, Math.min(width / slideWidth, room / slideHeight));
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
    markFullscreen(root);
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
  /* In full screen the browser takes the first Escape to leave it (the page never
     sees that key): the hint then says so (.is-fullscreen). */
  function markFullscreen(root) {
    root.classList.toggle('is-fullscreen', Boolean(document.fullscreenElement));
  }

  document.addEventListener('fullscreenchange', function () {
    var root = container();
    if (root) {
      markFullscreen(root);
      window.requestAnimationFrame(function () { fit(root); });
    }
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

  /* --- the camera: a slide ------------------------------------------------------ */

  var CAMERA_TITLES = ['Télécharger le graphique en PNG', 'Download plot as a png',
    'Download plot'];

  /* A copy of a layout at the slide size (dashboard/export/slides.py `refit`). */
  function refitLayout(layout, width, height) {
    var out = JSON.parse(JSON.stringify(layout || {}));
    var oldHeight = Number(out.height) || height;
    ['title', 'legend'].forEach(function (key) {
      var part = out[key];
      if (part && typeof part === 'object' && part.yref === 'container' &&
          typeof part.y === 'number') {
        part.y = Math.max(0, 1 - (1 - part.y) * oldHeight / height);
      }
    });
    out.width = width;
    out.height = height;
    out.autosize = false;
    return out;
  }

  function save(url, filename) {
    var link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  /* A slide as a PNG data URL (960×540 at scale 2 by default). */
  function slideImage(figure, size) {
    var layout = refitLayout(figure.layout, size.width, size.height);
    return window.Plotly.toImage({ data: figure.data, layout: layout,
      config: { locale: 'fr', staticPlot: true } },
    { format: 'png', width: size.width, height: size.height, scale: size.scale });
  }

  function renderSlide(figure, filename, size) {
    return slideImage(figure, size).then(function (url) { save(url, filename); });
  }

  function bytesOf(dataUrl) {
    var text = window.atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }

  /* fflate's zipSync (npm, dashboard/vendor/fflate-zip.min.js), loaded the first time a
     ZIP is written: its address is in the page's <meta name="aura-zip-script">. */
  var zipper = null;
  function loadZipper() {
    if (window.fflate && window.fflate.zipSync) { return Promise.resolve(window.fflate); }
    if (zipper) { return zipper; }
    zipper = new Promise(function (resolve, reject) {
      var meta = document.querySelector('meta[name="aura-zip-script"]');
      if (!meta) { reject(new Error('aura-zip-script')); return; }
      var script = document.createElement('script');
      script.src = meta.getAttribute('content');
      script.onload = function () { resolve(window.fflate); };
      script.onerror = function () { zipper = null; reject(new Error(script.src)); };
      document.head.appendChild(script);
    });
    return zipper;
  }

  /* A ZIP of files stored as they are (level 0: PNG is compressed already): one
     download for the numbered slides of a tall chart, instead of several the
     browser may block. */
  function zipBlob(files) {
    return loadZipper().then(function (fflate) {
      var entries = {};
      files.forEach(function (file) { entries[file.name] = [file.bytes, { level: 0 }]; });
      return new Blob([fflate.zipSync(entries)], { type: 'application/zip' });
    });
  }

  /* The id of the dcc.Graph: on its wrapper, not on plotly's own div. */
  function graphId(gd) {
    if (gd.id) { return gd.id; }
    var outer = gd.parentElement ? gd.parentElement.closest('[id]') : null;
    return outer ? outer.id : '';
  }

  function slidesUrl(gd) {
    var path = window.location.pathname.replace(/\/+$/, '');
    var id = graphId(gd);
    if (!id || !/\/territoire$/.test(path) || !gd.closest('#territoire-profil')) {
      return null;
    }
    var search = window.location.search ? window.location.search + '&' : '?';
    return path + '/diapositives' + search + 'graphique=' + encodeURIComponent(id);
  }

  /* The chart's own slide (pages other than the profile, or the server is away). */
  function localSlide(gd, options) {
    return renderSlide({ data: gd.data, layout: gd.layout },
      (options.filename || 'graphique') + '.png',
      { width: options.width, height: options.height, scale: options.scale || 2 });
  }

  function downloadSlides(gd) {
    var options = (gd._context && gd._context.toImageButtonOptions) || {};
    var url = slidesUrl(gd);
    if (!url) { return localSlide(gd, options); }
    return window.fetch(url, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (found) {
      var size = { width: found.width, height: found.height, scale: found.scale };
      if (found.pages.length === 1) {
        return renderSlide(found.pages[0].figure, found.pages[0].filename, size);
      }
      var files = [];
      return found.pages.reduce(function (done, page) {
        return done.then(function () {
          return slideImage(page.figure, size).then(function (url) {
            files.push({ name: page.filename, bytes: bytesOf(url) });
          });
        });
      }, Promise.resolve()).then(function () {
        return zipBlob(files);
      }).then(function (blob) {
        var url = URL.createObjectURL(blob);
        save(url, found.archive);
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      });
    }).catch(function () { return localSlide(gd, options); });
  }

  /* Before plotly's own handler (capture phase): the camera of a profile chart, or
     of a chart whose export is a slide (960×540 in its config), downloads slides. */
  document.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ?
      event.target.closest('.modebar-btn') : null;
    if (!button || CAMERA_TITLES.indexOf(button.getAttribute('data-title')) < 0) { return; }
    var gd = button.closest('.js-plotly-plot');
    var options = gd && gd._context && gd._context.toImageButtonOptions;
    var slide = options && options.width === SLIDE_WIDTH && options.height === SLIDE_HEIGHT;
    if (!gd || !window.Plotly || !(slide || slidesUrl(gd))) { return; }
    event.preventDefault();
    event.stopPropagation();
    if (gd.getAttribute('data-exporting') === 'true') { return; }
    gd.setAttribute('data-exporting', 'true');
    downloadSlides(gd).catch(function () { /* nothing more to try */ }).then(function () {
      gd.removeAttribute('data-exporting');
    });
  }, true);

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
