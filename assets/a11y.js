/*
 * Keyboard and screen-reader fixes for Dash 4's dcc.Dropdown (no inline
 * script: the app's Content-Security-Policy forbids them).
 *
 * Dash 4 renders each dropdown as an invisible <input> that takes the Tab
 * focus and passes it on to the real <button>, which has tabindex="-1". That
 * input is aria-hidden yet focusable (axe "aria-hidden-focus"), and the button
 * is named by its value only ("aria-labelledby" points at the value), so a
 * screen reader hears "CA Annonay Rhône Agglo" without the visible label
 * "Intercommunalité (EPCI)".
 *
 * Here, for every dropdown as it appears (pages are re-rendered by Dash):
 * - the relay input becomes `inert` (neither focusable nor exposed) and the
 *   button itself takes the Tab focus;
 * - the button's name starts with the text of its <label for="…">, then its
 *   value as shown: "Intercommunalité (EPCI) CA Annonay Rhône Agglo (200072015)";
 * - the open list and its listbox are named by the same label.
 *
 * AG Grid moves the keyboard focus from cell to cell, never onto a link inside
 * a cell (the EPCI and commune names link to their profile): Enter on a focused
 * cell that holds one link follows it.
 *
 * A page about one territory holds a hidden `.page-annonce` element
 * (dashboard/components/announce.py) with the tab's title and a sentence
 * ("Profil de la CA Annonay Rhône Agglo affiché"). Each time it changes, the
 * title becomes the document's (and stays so when Dash's router writes the
 * page's generic title after it), the sentence goes to the shell's live region
 * and, once the user has moved within the app (picker, search, grid link, not
 * on the first load), the focus goes to the page's heading.
 *
 * Each plotly chart is one image for assistive technology: its main <svg> gets
 * role="img", the chart's drawn title as name and the summary sentence under it
 * (`.chart-summary` of its card) as description; plotly's other layers (title,
 * legend, hover labels) are aria-hidden. The toolbar's buttons, outside the
 * SVG, stay reachable.
 */
(function () {
  'use strict';

  var RELAY = '.dash-dropdown-focus-target:not([inert])';
  var POPUP = '.dash-dropdown-content[role="dialog"]';
  var ANNOUNCEMENT = '.page-annonce';
  var LIVE_REGION = 'annonce-page';
  var pending = false;
  var firstUrl = window.location.href;
  var moved = false;       // the user has navigated within the app since the first load
  var announced = null;    // the key of the territory's view shown, once applied
  var wantedTitle = null;  // the document title of that territory

  function labelFor(button) {
    if (!button.id) { return null; }
    var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    if (label && !label.id) { label.id = button.id + '--label'; }
    return label;
  }

  function fixDropdown(relay) {
    var button = relay.nextElementSibling;
    if (!button || !button.classList.contains('dash-dropdown')) { return; }
    relay.setAttribute('inert', '');
    relay.tabIndex = -1;
    button.tabIndex = 0; // a disabled button stays out of the Tab order anyway
    nameDropdown(button);
  }

  // Done again whenever Dash rewrites the button's aria-labelledby (a new value).
  function nameDropdown(button) {
    var label = labelFor(button);
    if (!label) { return; }
    // The label, then the parts of the value in the order they are shown (a
    // multiple choice lists its values before their count, "2 intercommunalités").
    // Ids of parts not shown yet (no count for one value) are kept, at the end.
    var ids = (button.getAttribute('aria-labelledby') || '').split(/\s+/)
      .filter(function (id) { return id && id !== label.id; });
    var shown = ids.map(function (id) { return document.getElementById(id); })
      .filter(Boolean)
      .sort(function (a, b) {
        return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      })
      .map(function (e) { return e.id; });
    var absent = ids.filter(function (id) { return shown.indexOf(id) === -1; });
    var wanted = [label.id].concat(shown, absent).join(' ');
    if (button.getAttribute('aria-labelledby') !== wanted) {
      button.setAttribute('aria-labelledby', wanted);
    }
  }

  // The open list (a dialog holding a search box and a listbox) is named by
  // the same label as its button.
  function fixPopup(popup) {
    if (!popup.id) { return; }
    var button = document.querySelector('[aria-controls="' + CSS.escape(popup.id) + '"]');
    var label = button && labelFor(button);
    if (!label) { return; }
    var named = [popup].concat(Array.prototype.slice.call(
      popup.querySelectorAll('[role="listbox"]')));
    named.forEach(function (el) {
      if (el.getAttribute('aria-labelledby') !== label.id) {
        el.setAttribute('aria-labelledby', label.id);
      }
    });
  }

  // The heading named by the announcement (`data-focus`), else the page's h1.
  function heading(element) {
    var named = element.getAttribute('data-focus');
    var main = document.getElementById('contenu') || document;
    return (named && document.getElementById(named)) || main.querySelector('h1');
  }

  function announce(sentence) {
    var region = document.getElementById(LIVE_REGION);
    if (!region) { return; }
    // Emptied first, so that the same sentence twice is read twice.
    region.textContent = '';
    window.setTimeout(function () { region.textContent = sentence; }, 50);
  }

  function applyAnnouncement() {
    if (window.location.href !== firstUrl) { moved = true; }
    var element = document.querySelector(ANNOUNCEMENT);
    if (!element) {
      announced = null;
      wantedTitle = null;
      return;
    }
    var sentence = element.getAttribute('data-annonce') || '';
    var key = element.getAttribute('data-cle') || sentence;
    wantedTitle = element.getAttribute('data-titre') || null;
    if (wantedTitle && document.title !== wantedTitle) { document.title = wantedTitle; }
    if (key === announced) { return; }
    announced = key;
    announce(sentence);
    if (!moved) { return; }
    var target = heading(element);
    if (target) {
      if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
      target.focus();
    }
  }

  // Plotly draws a chart in several <svg class="main-svg"> layers: the first
  // holds the plot, the next ones the title, legend and hover labels.
  function chartTitle(graph) {
    var title = graph.querySelector('.gtitle');
    if (!title) { return null; }
    var lines = title.querySelectorAll('.line');
    var parts = lines.length ? Array.prototype.map.call(lines, function (l) {
      return l.textContent;
    }) : [title.textContent];
    return parts.join(' ').replace(/\s+/g, ' ').trim() || null;
  }

  function fixChart(graph) {
    var layers = graph.querySelectorAll('svg.main-svg');
    if (!layers.length) { return; }
    var image = layers[0];
    var name = chartTitle(graph) || 'Graphique';
    if (image.getAttribute('role') !== 'img') { image.setAttribute('role', 'img'); }
    if (image.getAttribute('aria-label') !== name) { image.setAttribute('aria-label', name); }
    var card = graph.closest('.chart-card, .presentation-slide, .card');
    var summary = card && card.querySelector('.chart-summary');
    if (summary) {
      if (!summary.id) { summary.id = 'resume-' + Math.random().toString(36).slice(2); }
      if (image.getAttribute('aria-describedby') !== summary.id) {
        image.setAttribute('aria-describedby', summary.id);
      }
    }
    for (var i = 1; i < layers.length; i++) {
      if (layers[i].getAttribute('aria-hidden') !== 'true') {
        layers[i].setAttribute('aria-hidden', 'true');
      }
    }
  }

  function fixAll() {
    pending = false;
    Array.prototype.forEach.call(document.querySelectorAll(RELAY), fixDropdown);
    Array.prototype.forEach.call(document.querySelectorAll('button.dash-dropdown[id]'),
                                 nameDropdown);
    Array.prototype.forEach.call(document.querySelectorAll(POPUP), fixPopup);
    Array.prototype.forEach.call(document.querySelectorAll('.js-plotly-plot'), fixChart);
    applyAnnouncement();
  }

  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(fixAll);
    }
  }

  function followCellLink(event) {
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey ||
        event.shiftKey) { return; }
    var cell = event.target;
    if (!cell.classList || !cell.classList.contains('ag-cell')) { return; }
    var links = cell.querySelectorAll('a[href]');
    if (links.length !== 1) { return; }
    event.preventDefault();
    event.stopPropagation();
    links[0].click();
  }

  function start() {
    fixAll();
    document.addEventListener('keydown', followCellLink, true);
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ['data-annonce', 'data-titre', 'data-cle', 'aria-labelledby'],
    });
    // Dash's router writes the page's own title after the content: put the
    // territory's back.
    var title = document.querySelector('title');
    if (title) {
      new MutationObserver(function () {
        if (wantedTitle && document.title !== wantedTitle) { schedule(); }
      }).observe(title, {childList: true, characterData: true, subtree: true});
    }
    window.addEventListener('popstate', schedule);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
