// Renders each {id, source} as the original theme does: <Markdown options={{forceBlock, forceWrapper}}>.
const dir = process.argv[2];
const React = require(dir + '/node_modules/react');
const { renderToStaticMarkup } = require(dir + '/node_modules/react-dom/server');
const M = require(dir + '/node_modules/markdown-to-jsx');
const Markdown = M.default || M;
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = items.map(({ id, source }) => {
  let html;
  try {
    html = renderToStaticMarkup(React.createElement(Markdown, { options: { forceBlock: true, forceWrapper: true } }, source));
  } catch (e) { html = 'ERROR ' + e.message; }
  return { id, html };
});
process.stdout.write(JSON.stringify(out));
