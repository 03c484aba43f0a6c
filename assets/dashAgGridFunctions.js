/*
 * Functions that the dash-ag-grid tables call by name from Python
 * ({"function": "csvCell(params, '_csv')"}): dash-ag-grid looks them up in
 * window.dashAgGridFunctions, so no inline script and no eval is needed (the
 * app's Content-Security-Policy forbids both).
 *
 * csvCell: the text of one cell of an AG Grid CSV export. A row may carry a
 * ready-made CSV text next to each field (`<field>_csv`, made in Python by
 * dashboard.export.tables.csv_value, which already neutralises formulas); any
 * other value goes through csvText. Numbers stay numbers: "-3,5" is a number,
 * not a formula.
 *
 * csvText: a text a spreadsheet will not run as a formula (OWASP "CSV
 * injection"): a leading apostrophe before =, +, -, @, tab or carriage return.
 * Same rule as dashboard.export.tables.csv_text.
 */
(function () {
  'use strict';

  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  var FORMULA_START = /^[=+\-@\t\r]/;

  dagfuncs.csvText = function (text) {
    var value = String(text);
    return FORMULA_START.test(value) ? "'" + value : value;
  };

  dagfuncs.csvCell = function (params, suffix) {
    var data = params && params.node ? params.node.data : null;
    if (data && suffix && params.column) {
      var own = data[params.column.getColId() + suffix];
      if (own !== undefined && own !== null) {
        return String(own);
      }
    }
    var value = params ? params.value : null;
    if (value === null || value === undefined) {
      return '';
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
    return dagfuncs.csvText(value);
  };
})();
