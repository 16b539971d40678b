/** Types of definitions.mjs (the setup runs as plain JavaScript in its container). */
export interface IndexPrivilege {
  readonly names: readonly string[];
  readonly privileges: readonly string[];
}
export interface RoleBody {
  readonly description: string;
  readonly cluster: readonly string[];
  readonly indices: readonly IndexPrivilege[];
  readonly applications?: ReadonlyArray<{
    readonly application: string;
    readonly privileges: readonly string[];
    readonly resources: readonly string[];
  }>;
}
export interface UserSpec {
  readonly builtIn?: boolean;
  readonly roles?: readonly string[];
  readonly passwordEnv: string;
  readonly fullName?: string;
}
export declare const LOG_STREAMS: readonly string[];
export declare const AUDIT_STREAMS: readonly string[];
export declare const JAEGER_INDICES: readonly string[];
export declare const ROLES: Readonly<Record<string, RoleBody>>;
export declare const USERS: Readonly<Record<string, UserSpec>>;
export declare const SNAPSHOT_REPOSITORY: {
  readonly name: string;
  readonly body: { type: string; settings: Record<string, unknown> };
};
export declare const SNAPSHOT_POLICY: {
  readonly name: string;
  readonly body: Record<string, unknown> & { repository: string; config: { indices: string[] } };
};
