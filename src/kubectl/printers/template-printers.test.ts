import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import golden from '../testing/golden/printers.json';
import { formatError } from '../cli/errors';
import { checkOutputFormat, PrinterError, printObjects } from './print-objects';
import { printCustomColumns, parseCustomColumns } from './custom-columns';

// Golden cases recorded from kubectl 1.32 (`label -f OBJ --local x=y -o FMT`) by capture-printer-golden.py.
const obj = parse(golden.object) as { metadata: { labels: Record<string, string> } };
obj.metadata.labels.x = 'y';

function run(output: string): { stdout: string; stderr: string; code: number } {
  try {
    return { stdout: printObjects([obj as Record<string, unknown>], checkOutputFormat(output), true), stderr: '', code: 0 };
  } catch (err) {
    return { stdout: err instanceof PrinterError ? err.stdout : '', stderr: formatError(err), code: 1 };
  }
}

describe('template printers match kubectl 1.32', () => {
  for (const c of golden.cases.filter((c) => !c.output.startsWith('custom-columns'))) {
    it(c.output, () => {
      expect(run(c.output)).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
    });
  }
});

describe('custom-columns', () => {
  it('prints headers, joined values, <none> and %v maps with the table tabwriter', () => {
    const cols = parseCustomColumns('NAME:metadata.name,IMAGES:.spec.containers[*].image,P:{.spec.containers[0].ports},X:.nope,L:.metadata.labels');
    expect(printCustomColumns([obj], cols, false)).toBe(
      'NAME   IMAGES          P                                          X        L\n' +
        'web    nginx,busybox   [map[containerPort:80 hostPort:1000000]]   <none>   map[app:web tier:fe x:y]\n',
    );
    expect(printCustomColumns([obj, obj], parseCustomColumns('N:.metadata.name'), true)).toBe('web\nweb\n');
  });
  it('rejects bad specs with kubectl texts', () => {
    expect(() => checkOutputFormat('custom-columns=')).toThrow('error: custom-columns format specified but no custom columns given');
    expect(() => checkOutputFormat('custom-columns=NAME')).toThrow('error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>');
  });
});
