import type { KubectlIO } from '../kubectl-io';
import { ResourceMapper } from '../resource-mapper';
import { flagBool, flagList, flagString, type ParsedFlags } from './parse-flags';

/** What every command gets: the IO, its parsed flags, and a discovery-backed mapper fetched once per run. */
export class CommandContext {
  private mapperPromise?: Promise<ResourceMapper>;

  constructor(
    readonly io: KubectlIO,
    readonly flags: ParsedFlags,
    readonly commandPath: string,
  ) {}

  get args(): string[] {
    return this.flags.args;
  }

  /** -n, else the context namespace, else "default". */
  get namespace(): string {
    return flagString(this.flags, 'namespace') || this.io.namespace || 'default';
  }

  /** True when -n was given explicitly (kubectl's enforceNamespace). */
  get explicitNamespace(): boolean {
    return !!flagString(this.flags, 'namespace');
  }

  str(name: string, def = ''): string {
    return flagString(this.flags, name, def);
  }
  bool(name: string): boolean {
    return flagBool(this.flags, name);
  }
  list(name: string): string[] {
    return flagList(this.flags, name);
  }

  mapper(): Promise<ResourceMapper> {
    this.mapperPromise ??= ResourceMapper.discover(this.io.client);
    return this.mapperPromise;
  }

  out(text: string): void {
    if (text) this.io.stdout(text);
  }
  err(text: string): void {
    if (text) this.io.stderr(text);
  }
}
