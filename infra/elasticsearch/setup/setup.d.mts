/** Types of setup.mjs (the setup runs as plain JavaScript in its container). */
export interface SetupOptions {
  readonly url: string;
  readonly elasticPassword: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly retentionDirectory?: string;
  readonly waitTimeoutMs?: number;
  readonly retryDelayMs?: number;
  readonly log?: (line: string) => void;
}
export declare function runSetup(options: SetupOptions): Promise<string[]>;
