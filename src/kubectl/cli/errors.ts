import { ApiError } from '../../api/status';

/**
 * Errors and their rendering as kubectl's cmdutil.CheckErr prints them (exit code 1 unless stated).
 * - UsageError / plain Error: printed with an "error: " prefix unless the text already has it.
 * - ApiError: "Error from server (Reason): message"; Invalid with details: "The Kind "name" is invalid: field: msg".
 * - NoResourceMatchError: `the server doesn't have a resource type "x"` (no "error: " prefix, as kubectl).
 * - ErrorList: one standard message per line (kubectl's utilerrors.Aggregate); a list of one prints as that error.
 * - SilentExit: prints nothing (the command already reported).
 */
export class NoResourceMatchError extends Error {
  constructor(readonly resource: string, readonly group = '', readonly version = '') {
    super(`no matches for ${resource}`);
  }
}

export class ErrorList extends Error {
  constructor(readonly errors: unknown[]) {
    super(errors.map((e) => String(e)).join(', '));
  }
}

export class SilentExit extends Error {
  constructor(readonly code = 1) {
    super('exit');
  }
}

/** A message printed exactly as given (already carrying any "error: " prefix it needs). */
export class RawError extends Error {}

/** kubectl's AddSourceToErr: "error when creating "STDIN": …". */
export function addSourceToErr(verb: string, source: string, err: unknown): unknown {
  if (!source) return err;
  if (err instanceof ApiError) {
    return new ApiError(err.code, { ...err.status, message: `error when ${verb} "${source}": ${err.status.message ?? ''}` });
  }
  return new Error(`error when ${verb} "${source}": ${err instanceof Error ? err.message : String(err)}`);
}

function standardMessage(err: unknown): string | undefined {
  if (err instanceof ApiError) {
    const s = err.status;
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? ''})`;
    if (s.reason) return `Error from server (${s.reason}): ${err.message}`;
    return `Error from server: ${err.message}`;
  }
  return undefined;
}

function messageForError(err: unknown): string {
  return standardMessage(err) ?? (err instanceof Error ? err.message : String(err));
}

function flatten(errs: unknown[]): unknown[] {
  return errs.flatMap((e) => (e instanceof ErrorList ? flatten(e.errors) : [e]));
}

/** The text kubectl writes to stderr for err (always ending in a newline), or '' for SilentExit. */
export function formatError(err: unknown): string {
  if (err instanceof ErrorList && err.errors.length === 1) err = err.errors[0];
  let msg: string;
  if (err instanceof SilentExit) return '';
  if (err instanceof ApiError && err.status.reason === 'Invalid') {
    const d = err.status.details;
    let s = 'The request is invalid';
    if (!d) msg = s;
    else {
      if (d.kind || d.name) s = `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid`;
      const causes = [...new Set((d.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`))];
      if (causes.length === 0) msg = s;
      else if (causes.length === 1) msg = `${s}: ${causes[0]}`;
      else msg = `${s}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
    }
  } else if (err instanceof NoResourceMatchError) {
    const { resource, group, version } = err;
    if (group && version) msg = `the server doesn't have a resource type "${resource}" in group "${group}" and version "${version}"`;
    else if (group) msg = `the server doesn't have a resource type "${resource}" in group "${group}"`;
    else if (version) msg = `the server doesn't have a resource type "${resource}" in version "${version}"`;
    else msg = `the server doesn't have a resource type "${resource}"`;
    msg = `error: ${msg}`;
  } else if (err instanceof ErrorList) {
    msg = flatten(err.errors).map((e) => messageForError(e) + '\n').join('');
  } else if (err instanceof RawError) {
    msg = err.message;
  } else {
    msg = standardMessage(err) ?? (err instanceof Error ? err.message : String(err));
    if (!standardMessage(err) && !msg.startsWith('error: ')) msg = `error: ${msg}`;
  }
  return msg.endsWith('\n') ? msg : msg + '\n';
}
