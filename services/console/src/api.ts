// The gRPC-web clients of every Jedel service, the session (token and its claims) and the
// one way errors are turned into text for the user (status message + field violations).
import { createClient, ConnectError, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { CallIntake } from "./gen/jedel/intake/v1/intake_pb.js";
import { Dispatcher } from "./gen/jedel/dispatch/v1/dispatch_pb.js";
import { Medevac } from "./gen/jedel/medevac/v1/medevac_pb.js";
import { Registry } from "./gen/jedel/registry/v1/registry_pb.js";
import { SituationCentre } from "./gen/jedel/situation/v1/situation_pb.js";
import { BadRequestSchema } from "./gen/google/rpc/error_details_pb.js";

/** Who is logged in, read from the token's claims. */
export interface Session {
  token: string;
  subject: string;
  role: string;
  regions: string[];
  airline?: string;
  exp: number;
}

const STORAGE_KEY = "jedel.session";
let current: Session | null = null;

/** Decodes a JWT's claims (the server checks the signature; this is only for display). */
export function sessionFromToken(token: string): Session {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  return { token, subject: claims.sub, role: claims.role, regions: claims.regions ?? [], airline: claims.airline, exp: claims.exp };
}

export function loadSession(): Session | null {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return null;
  try {
    const session = sessionFromToken(token);
    if (session.exp * 1000 < Date.now()) return null;
    current = session;
    return session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null) {
  current = session;
  if (session) sessionStorage.setItem(STORAGE_KEY, session.token);
  else sessionStorage.removeItem(STORAGE_KEY);
}

const bearer: Interceptor = (next) => (request) => {
  if (current) request.header.set("authorization", `Bearer ${current.token}`);
  return next(request);
};

const transport = createGrpcWebTransport({ baseUrl: location.origin, interceptors: [bearer] });

export const intake = createClient(CallIntake, transport);
export const dispatch = createClient(Dispatcher, transport);
export const medevac = createClient(Medevac, transport);
export const registry = createClient(Registry, transport);
export const situation = createClient(SituationCentre, transport);

/** The server's runtime settings for the console. */
export interface ConsoleConfig {
  local_login: boolean;
  tile_url: string | null;
}

export async function fetchConfig(): Promise<ConsoleConfig> {
  const response = await fetch("/console/config");
  return response.ok ? response.json() : { local_login: false, tile_url: null };
}

export async function localLogin(body: { subject: string; role: string; regions: string[]; airline?: string }): Promise<Session> {
  const response = await fetch("/console/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error ?? `login failed (${response.status})`);
  return sessionFromToken(json.token);
}

/** Uploads `file` as a document of `kind` for a medevac request: `POST /console/documents`,
 * which the server forwards to Medevac UploadDocument (a client stream, which gRPC-web cannot
 * carry) with this session's token. A refusal reads like a gRPC one: message, then violations. */
export async function uploadDocument(medevacRequestId: string, kind: number, file: File): Promise<{ id: string; file_name: string }> {
  const query = new URLSearchParams({ request: medevacRequestId, kind: String(kind), name: file.name, request_id: requestId() });
  const response = await fetch(`/console/documents?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${current?.token ?? ""}`, "content-type": file.type || "application/octet-stream" },
    body: file,
  });
  const json = await response.json().catch(() => ({ error: `upload failed (${response.status})` }));
  if (!response.ok) {
    const violations: { field: string; description: string }[] = json.violations ?? [];
    throw new Error([json.error, ...violations.map((v) => `${v.field}: ${v.description}`)].join("\n"));
  }
  return json;
}

/** A user-facing text for any failure: the gRPC status and every field violation. */
export function describeError(error: unknown): string {
  if (error instanceof ConnectError) {
    if (error.name === "AbortError") return "";
    const violations = error.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations);
    const lines = violations.map((v) => `${v.field}: ${v.description}`);
    return [error.rawMessage || error.code.toString(), ...lines].join("\n");
  }
  return error instanceof Error ? error.message : String(error);
}

/** A fresh client idempotency key. */
export function requestId(): string {
  return crypto.randomUUID();
}

/** Runs a server stream until `signal` aborts, reopening it after a failure from the last
 * sequence seen, so a console that reconnects misses nothing. */
export async function follow<T extends { sequence: bigint }>(
  open: (after: bigint, signal: AbortSignal) => AsyncIterable<T>,
  onItem: (item: T) => void,
  signal: AbortSignal,
  onError?: (text: string) => void,
) {
  let after = 0n;
  while (!signal.aborted) {
    try {
      for await (const item of open(after, signal)) {
        if (item.sequence > after) after = item.sequence;
        onItem(item);
      }
    } catch (error) {
      if (signal.aborted) return;
      onError?.(describeError(error));
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
