import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { toGoYaml, yamlKeyLess } from './go-yaml';
import { toGoJson } from './go-json';
import { tabwrite, tableTabOptions, describeTabOptions } from './tabwriter';
import { alignTable, renderTables, type Table } from './table-printer';

const fixture = (n: string) => readFileSync(new URL(`./testdata/${n}`, import.meta.url), 'utf8');

describe('toGoYaml', () => {
  // Fixtures captured from kubectl 1.32.5: `kubectl create configmap x --from-file=files -o json|yaml`
  // (quoting, literal blocks, folding at column 80, key order) and `kubectl create deployment -o json|yaml`.
  it.each(['cm', 'dep'])('matches kubectl -o yaml for %s', (n) => {
    expect(toGoYaml(JSON.parse(fixture(`${n}.json`)))).toBe(fixture(`${n}.yaml`));
  });
  it('orders keys as yaml.v2 does', () => {
    expect(['a10', 'a9', 'Z', '_x', 'b'].sort((a, b) => (yamlKeyLess(a, b) ? -1 : 1))).toEqual(['_x', 'Z', 'a9', 'a10', 'b']);
  });
  it('prints empty collections and lists of lists', () => {
    expect(toGoYaml({ a: {}, b: [], c: [[1, 2], { d: null }] })).toBe('a: {}\nb: []\nc:\n- - 1\n  - 2\n- d: null\n');
  });
});

describe('toGoJson', () => {
  it('sorts keys, indents by 4 and escapes HTML characters', () => {
    expect(toGoJson({ b: 1, a: ['<x>'], c: {} })).toBe('{\n    "a": [\n        "\\u003cx\\u003e"\n    ],\n    "b": 1,\n    "c": {}\n}\n');
  });
});

describe('tabwriter', () => {
  it('pads columns to the widest cell plus padding, min width 6 for tables', () => {
    expect(tabwrite('A\tBB\tC\nxxxxxxx\ty\tz\n', tableTabOptions)).toBe('A         BB    C\nxxxxxxx   y     z\n');
  });
  it('ends column blocks at lines without tabs (describe layout)', () => {
    const text = 'Name:\tweb\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tnginx\n';
    expect(tabwrite(text, describeTabOptions)).toBe('Name:       web\nNamespace:  default\nContainers:\n  c:\n    Image:  nginx\n');
  });
});

describe('renderTables', () => {
  const table: Table = {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name' },
      { name: 'Age', type: 'string' },
      { name: 'IP', type: 'string', priority: 1 },
    ],
    rows: [{ cells: ['a', '5s', '10.0.0.1'], object: { metadata: { name: 'a', namespace: 'ns1', labels: { z: '1', a: '2' } } } }],
  };
  it('adds NAMESPACE, LABELS, wide columns and kind prefixes like kubectl', () => {
    expect(alignTable(renderTables([table], { withNamespace: true, showLabels: true, wide: true, kindPrefix: 'pod' }))).toBe(
      'NAMESPACE   NAME    AGE   IP         LABELS\nns1         pod/a   5s    10.0.0.1   a=2,z=1\n',
    );
    expect(alignTable(renderTables([table], { noHeaders: true }))).toBe('a     5s\n');
  });
  it('prints the header once across tables and nothing for empty tables', () => {
    expect(renderTables([table, table], {})).toBe('NAME\tAGE\na\t5s\na\t5s\n');
    expect(renderTables([{ ...table, rows: [] }], {})).toBe('');
  });
});
