// CommonJS: the ESM entry loaded through require(esm) (Node >= 20.19), so CJS and ESM users
// share one module instance and `instanceof` holds across both.
module.exports = require('./node.mjs');
