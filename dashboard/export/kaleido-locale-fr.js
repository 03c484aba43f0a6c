/* Loaded after assets/plotly-locale-fr.js in the page kaleido renders:
   kaleido drops figure.config, so the French locale is made the default. */
if (window.Plotly && window.Plotly.setPlotConfig) {
  window.Plotly.setPlotConfig({ locale: 'fr' });
}
