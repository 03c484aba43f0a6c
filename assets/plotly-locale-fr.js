/*
 * French locale for plotly.js (modebar labels, month and day names, decimal
 * comma). Graphs use it with config={"locale": "fr"}.
 *
 * The dashboard's index page loads it synchronously right after plotly.js
 * (dashboard/app_factory.py, INDEX_STRING), before Dash's scripts: the locale
 * is registered before the first graph of any page. kaleido's export page
 * (dashboard/export/png.py) also loads it after its own plotly.js. Should
 * window.Plotly be missing or replaced later (another copy of plotly.js), the
 * locale is registered on each copy as soon as it is assigned (property
 * setter); polling is the fallback.
 */
(function () {
  'use strict';

  var LOCALE_FR = {
    moduleType: 'locale',
    name: 'fr',
    // Keys are the English strings of plotly.js (v4.1 as shipped with plotly.py 7,
    // plus the older spellings, e.g. "png" in lower case, used by earlier versions).
    dictionary: {
      // modebar
      'Download plot as a PNG': 'Télécharger le graphique en PNG',
      'Download plot as a png': 'Télécharger le graphique en PNG',
      'Download plot as JSON': 'Télécharger le graphique en JSON',
      'Download plot': 'Télécharger le graphique',
      'Share chart...': 'Partager le graphique…',
      'Edit in Chart Studio': 'Modifier dans Chart Studio',
      'Zoom': 'Zoom',
      'Zoom in': 'Zoom avant',
      'Zoom out': 'Zoom arrière',
      'Pan': 'Déplacer',
      'Box Select': 'Sélection rectangulaire',
      'Lasso Select': 'Sélection au lasso',
      'Autoscale': 'Échelle automatique',
      'Reset axes': 'Réinitialiser les axes',
      'Reset view': 'Réinitialiser la vue',
      'Reset views': 'Réinitialiser les vues',
      'Reset': 'Réinitialiser',
      'Reset camera to default': 'Remettre la caméra par défaut',
      'Reset camera to last save': 'Revenir à la dernière position de la caméra',
      'Orbital rotation': 'Rotation orbitale',
      'Turntable rotation': 'Rotation sur plateau',
      'Toggle Spike Lines': 'Afficher ou masquer les lignes de repère',
      'Show closest data on hover': 'Afficher la donnée la plus proche au survol',
      'Compare data on hover': 'Comparer les données au survol',
      'Toggle show closest data on hover':
        'Afficher ou non la donnée la plus proche au survol',
      'Produced with Plotly.js': 'Réalisé avec Plotly.js',
      'Draw line': 'Tracer une ligne',
      'Draw open freeform': 'Tracer une forme libre ouverte',
      'Draw closed freeform': 'Tracer une forme libre fermée',
      'Draw circle': 'Tracer un cercle',
      'Draw rectangle': 'Tracer un rectangle',
      'Erase active shape': 'Effacer la forme sélectionnée',
      // export messages
      'Preparing image - this may take a few seconds':
        'Préparation de l\u2019image, cela peut prendre quelques secondes',
      'Taking snapshot - this may take a few seconds':
        'Préparation de l\u2019image, cela peut prendre quelques secondes',
      'Image download succeeded': 'Image téléchargée',
      'Snapshot succeeded': 'Image téléchargée',
      'JSON download succeeded': 'Fichier JSON téléchargé',
      'Sorry, there was a problem downloading your image!':
        'Désolé, le téléchargement de l\u2019image a échoué.',
      'Sorry, there was a problem downloading your snapshot!':
        'Désolé, le téléchargement de l\u2019image a échoué.',
      'Sorry, there was a problem downloading your JSON file!':
        'Désolé, le téléchargement du fichier JSON a échoué.',
      'IE only supports svg.  Changing format to svg.':
        'Internet Explorer n\u2019accepte que le SVG : format changé en SVG.',
      // sharing dialog (graphs of this dashboard remove that button)
      'Share chart': 'Partager le graphique',
      'Share': 'Partager',
      'Cancel': 'Annuler',
      'This chart will be sent to {serverUrl}.': 'Ce graphique sera envoyé à {serverUrl}.',
      'This chart will be uploaded to {Plotly Cloud} to create a sharing link. Only you can see it until you change its visibility.':
        'Ce graphique sera envoyé sur {Plotly Cloud} pour créer un lien de partage. Vous seul pouvez le voir tant que vous n\u2019avez pas changé sa visibilité.',
      'If you don\'t have a Plotly Cloud account yet, you\'ll have a chance to create one.':
        'Si vous n\u2019avez pas encore de compte Plotly Cloud, vous pourrez en créer un.',
      // interaction hints and editable titles
      'Double-click on legend to isolate one trace':
        'Double-cliquez sur la légende pour isoler une série',
      'Double-click to zoom back out': 'Double-cliquez pour revenir au zoom initial',
      'Click to enter Plot title': 'Cliquez pour saisir le titre du graphique',
      'Click to enter Plot subtitle': 'Cliquez pour saisir le sous-titre du graphique',
      'Click to enter X axis title': 'Cliquez pour saisir le titre de l\u2019axe X',
      'Click to enter Y axis title': 'Cliquez pour saisir le titre de l\u2019axe Y',
      'Click to enter radial axis title': 'Cliquez pour saisir le titre de l\u2019axe radial',
      'Click to enter Colorscale title': 'Cliquez pour saisir le titre de l\u2019échelle de couleurs',
      'Click to enter Component A title': 'Cliquez pour saisir le titre de la composante A',
      'Click to enter Component B title': 'Cliquez pour saisir le titre de la composante B',
      'Click to enter Component C title': 'Cliquez pour saisir le titre de la composante C',
      'trace': 'série',
      'new text': 'nouveau texte',
      // hover labels
      'min:': 'min. :',
      'max:': 'max. :',
      'mean:': 'moyenne :',
      'mean ± σ:': 'moyenne ± σ :',
      'median:': 'médiane :',
      'q1:': 'q1 :',
      'q3:': 'q3 :',
      'lower fence:': 'limite basse :',
      'upper fence:': 'limite haute :',
      'open:': 'ouverture :',
      'close:': 'clôture :',
      'high:': 'haut :',
      'low:': 'bas :',
      'lat:': 'lat. :',
      'lon:': 'long. :',
      'source:': 'source :',
      'target:': 'cible :',
      'incoming flow count:': 'flux entrants :',
      'outgoing flow count:': 'flux sortants :',
      'kde:': 'densité :',
      'concentration:': 'concentration :'
    },
    format: {
      days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
      shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
      months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
               'septembre', 'octobre', 'novembre', 'décembre'],
      shortMonths: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août',
                    'sept.', 'oct.', 'nov.', 'déc.'],
      date: '%d/%m/%Y',
      year: '%Y',
      month: '%b %Y',
      dayMonth: '%-d %b',
      dayMonthYear: '%-d %b %Y',
      decimal: ',',
      thousands: '\u202f'  // narrow no-break space, as in the tables (babel, CLDR fr)
    }
  };

  // Marks each plotly.js copy that has the locale (not one flag for all copies:
  // a second copy assigned to window.Plotly needs it too).
  var MARK = '__auraLocaleFr';

  function register(plotly) {
    if (!plotly || typeof plotly.register !== 'function') {
      return false;
    }
    if (!plotly[MARK]) {
      plotly.register(LOCALE_FR);
      try {
        Object.defineProperty(plotly, MARK, { value: true });
      } catch (err) {
        plotly[MARK] = true;
      }
    }
    return true;
  }

  register(window.Plotly);

  try {
    var plotlyValue = window.Plotly;
    Object.defineProperty(window, 'Plotly', {
      configurable: true,
      enumerable: true,
      get: function () { return plotlyValue; },
      set: function (value) {
        plotlyValue = value;
        register(value);
      }
    });
  } catch (err) {
    // window.Plotly not redefinable: wait for the first copy only.
    var timer = window.setInterval(function () {
      if (register(window.Plotly)) {
        window.clearInterval(timer);
      }
    }, 100);
  }
})();
