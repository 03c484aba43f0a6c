/*
 * Stand-in for dash-ag-grid's JavaScript (1.3 MB, 360 KB compressed) on pages
 * that show no grid (dashboard/app_factory.py puts it in the place of
 * dash_ag_grid.min.js, whose address it carries in data-src).
 *
 * Dash looks components up in window.dash_ag_grid when it renders them. If a
 * grid comes up later (client-side navigation to a page with a grid), this
 * stand-in's AgGrid loads the real library once, then renders the real AgGrid
 * with the same props; the real library replaces window.dash_ag_grid, so Dash
 * finds it directly from then on.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var source = script && script.getAttribute('data-src');
  var loading = null;

  function loadLibrary() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement('script');
        tag.src = source;
        tag.onload = function () {
          var library = window.dash_ag_grid;
          if (library && library.AgGrid && library.AgGrid !== LazyAgGrid) {
            resolve(library);
          } else {
            reject(new Error('dash_ag_grid did not load from ' + source));
          }
        };
        tag.onerror = function () {
          loading = null;  // a later grid tries again
          reject(new Error('dash_ag_grid could not be fetched from ' + source));
        };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function LazyAgGrid(props) {
    var React = window.React;
    var state = React.useState(null);
    var Real = state[0];
    var setReal = state[1];
    var failed = React.useState(null);
    React.useEffect(function () {
      var mounted = true;
      loadLibrary().then(function (library) {
        if (mounted) {
          setReal(function () { return library.AgGrid; });
        }
      }, function (err) {
        if (mounted) {
          failed[1](String(err && err.message || err));
        }
      });
      return function () { mounted = false; };
    }, []);
    if (Real) {
      return React.createElement(Real, props);
    }
    return React.createElement('div', {
      id: props.id,
      className: props.className,
      style: props.style,
      role: failed[0] ? 'alert' : 'status',
      'aria-busy': failed[0] ? 'false' : 'true'
    }, failed[0] ? 'Le tableau n\u2019a pas pu être chargé : rechargez la page.'
                 : 'Chargement du tableau…');
  }

  if (source && !window.dash_ag_grid) {
    window.dash_ag_grid = { AgGrid: LazyAgGrid };
  }
})();
