// Loads a workflow definition for serverless-step-functions. The ASL files name
// each Lambda as "${functionKey}" (a placeholder asl-validator accepts); here each
// becomes a CloudFormation reference to that function's ARN. The local runner
// binds the same placeholders to the handlers instead.
const { readFileSync } = require('node:fs');
const path = require('node:path');

function load(name) {
  const definition = JSON.parse(readFileSync(path.join(__dirname, `${name}.asl.json`), 'utf8'));
  return bindResources(definition);
}

function bindResources(node) {
  if (Array.isArray(node)) return node.map(bindResources);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    const placeholder = key === 'Resource' && typeof value === 'string' && /^\$\{(\w+)\}$/.exec(value);
    out[key] = placeholder ? { 'Fn::GetAtt': [placeholder[1], 'Arn'] } : bindResources(value);
  }
  return out;
}

module.exports = { evidenceSweep: () => load('evidence-sweep'), dataMappingScan: () => load('data-mapping-scan') };
