/*
 * bai-scenarios additions to Cucumber's HTML report (a React app that renders window.CUCUMBER_MESSAGES
 * into #content). Written for readers of the features:
 *  - a bar above the report that links to the step glossary (glossary.html beside this file);
 *  - each example of a Scenario Outline labelled by its values instead of "#1.1": by its scenario
 *    name with the values filled in, or, if the outline's name names no column, by "column: value".
 * The report re-renders parts of the page as the reader filters and expands, so the labels are
 * set again whenever it does; only a label that still reads "#n.m" is touched, and only its text.
 */
(function () {
  'use strict';

  function glossaryBar() {
    var bar = document.createElement('nav');
    bar.id = 'bai-report-links';
    bar.innerHTML = 'Which steps can I write? <a href="glossary.html">Step glossary</a>' +
      ' <span class="bai-aside">(also in the project as features/GLOSSARY.md)</span>';
    var content = document.getElementById('content');
    document.body.insertBefore(bar, content || document.body.firstChild);
  }

  /* Example row id -> label, from the Gherkin documents and pickles among the report's messages. */
  function exampleLabels(messages) {
    var rows = {};
    function scenarios(children) {
      (children || []).forEach(function (child) {
        if (child.rule) { scenarios(child.rule.children); }
        var scenario = child.scenario;
        if (!scenario) { return; }
        (scenario.examples || []).forEach(function (examples) {
          var columns = examples.tableHeader ? examples.tableHeader.cells.map(function (c) { return c.value; }) : [];
          (examples.tableBody || []).forEach(function (row) {
            rows[row.id] = {
              outline: scenario.name,
              values: row.cells.map(function (cell, i) { return (columns[i] || '?') + ': ' + cell.value; }).join(', ')
            };
          });
        });
      });
    }
    messages.forEach(function (m) {
      if (m.gherkinDocument && m.gherkinDocument.feature) { scenarios(m.gherkinDocument.feature.children); }
    });
    var labels = {};
    messages.forEach(function (m) {
      var ids = m.pickle && m.pickle.astNodeIds;
      var row = ids && ids.length > 1 && rows[ids[ids.length - 1]];
      if (row) { labels[ids[ids.length - 1]] = m.pickle.name !== row.outline ? m.pickle.name : row.values; }
    });
    return labels;
  }

  function relabel(labels) {
    Object.keys(labels).forEach(function (rowId) {
      var heading = document.getElementById(rowId);
      var number = heading && heading.querySelector('span');
      var text = number && number.firstChild;
      if (text && text.nodeType === 3 && /^#\d+\.\d+$/.test(text.nodeValue)) {
        number.title = 'Example ' + text.nodeValue;
        text.nodeValue = labels[rowId];
      }
    });
  }

  function start() {
    glossaryBar();
    var labels = exampleLabels(window.CUCUMBER_MESSAGES || []);
    var content = document.getElementById('content');
    if (!content || Object.keys(labels).length === 0) { return; }
    relabel(labels);
    new MutationObserver(function () { relabel(labels); }).observe(content, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
