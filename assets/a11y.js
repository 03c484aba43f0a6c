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
 *   value: "Intercommunalité (EPCI) CA Annonay Rhône Agglo (200072015)";
 * - the open list and its listbox are named by the same label.
 *
 * AG Grid moves the keyboard focus from cell to cell, never onto a link inside
 * a cell (the EPCI and commune names link to their profile): Enter on a focused
 * cell that holds one link follows it.
 */
(function () {
  'use strict';

  var RELAY = '.dash-dropdown-focus-target:not([inert])';
  var POPUP = '.dash-dropdown-content[role="dialog"]';
  var pending = false;

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
    var label = labelFor(button);
    var named = (button.getAttribute('aria-labelledby') || '').split(/\s+/);
    if (label && named.indexOf(label.id) === -1) {
      button.setAttribute('aria-labelledby', [label.id].concat(named).join(' ').trim());
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

  function fixAll() {
    pending = false;
    Array.prototype.forEach.call(document.querySelectorAll(RELAY), fixDropdown);
    Array.prototype.forEach.call(document.querySelectorAll(POPUP), fixPopup);
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
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
