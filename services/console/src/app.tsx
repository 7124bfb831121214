// The console shell: login, the views the role may use, the language switch, and the
// global keys (Alt+1…4 views, Alt+L language, Alt+Q log out).
import { useEffect, useState } from "preact/hooks";
import { fetchConfig, loadSession, saveSession, type ConsoleConfig, type Session } from "./api.js";
import { LANGS, roleName, setLang, t, useLang, type Key } from "./i18n.js";
import { Login } from "./views/login.js";
import { CallTaker } from "./views/calltaker.js";
import { DispatcherView } from "./views/dispatcher.js";
import { MedevacView } from "./views/medevac.js";
import { SituationView } from "./views/situation.js";
import { useKeys } from "./ui/common.js";

type View = "calltaker" | "dispatcher" | "medevac" | "situation";

const VIEWS: { id: View; label: Key; roles: string[] }[] = [
  { id: "calltaker", label: "callTaker", roles: ["call_taker", "dispatcher", "admin"] },
  { id: "dispatcher", label: "dispatcher", roles: ["dispatcher", "call_taker", "admin"] },
  { id: "medevac", label: "medevac", roles: ["medevac_dispatcher", "coordinator", "airline", "admin"] },
  { id: "situation", label: "situation", roles: ["situation", "medevac_dispatcher", "admin", "dispatcher"] },
];

const DEFAULT_VIEW: Record<string, View> = {
  call_taker: "calltaker",
  dispatcher: "dispatcher",
  coordinator: "medevac",
  medevac_dispatcher: "medevac",
  airline: "medevac",
  situation: "situation",
  admin: "dispatcher",
};

export function App() {
  const lang = useLang();
  const [config, setConfig] = useState<ConsoleConfig>();
  const [session, setSession] = useState<Session | null>(loadSession());
  const [view, setView] = useState<View>(session ? DEFAULT_VIEW[session.role] : "dispatcher");
  useEffect(() => {
    fetchConfig().then(setConfig);
    document.documentElement.lang = lang;
  }, []);
  const views = VIEWS.filter((v) => session && v.roles.includes(session.role));
  useKeys((event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const n = Number(event.key);
    if (n >= 1 && n <= views.length) {
      setView(views[n - 1].id);
      event.preventDefault();
    } else if (event.key.toLowerCase() === "l") {
      setLang(LANGS[(LANGS.indexOf(lang) + 1) % LANGS.length]);
      event.preventDefault();
    } else if (event.key.toLowerCase() === "q" && session) {
      logout();
      event.preventDefault();
    }
  });
  const login = (next: Session) => {
    saveSession(next);
    setSession(next);
    setView(DEFAULT_VIEW[next.role] ?? "dispatcher");
  };
  const logout = () => {
    saveSession(null);
    setSession(null);
  };
  return (
    <div class="shell">
      <header class="top">
        <strong class="brand">{t("appTitle")}</strong>
        <nav class="tabs" role="tablist">
          {views.map((v, i) => (
            <button
              key={v.id}
              role="tab"
              aria-selected={view === v.id}
              class={view === v.id ? "tab on" : "tab"}
              data-testid={`tab-${v.id}`}
              onClick={() => setView(v.id)}
              title={`Alt+${i + 1}`}
            >
              {t(v.label)} <kbd>Alt+{i + 1}</kbd>
            </button>
          ))}
        </nav>
        <span class="grow" />
        <span class="langs" title="Alt+L">
          {LANGS.map((l) => (
            <button key={l} class={l === lang ? "lang on" : "lang"} data-testid={`lang-${l}`} onClick={() => setLang(l)}>
              {l.toUpperCase()}
            </button>
          ))}
        </span>
        {session ? (
          <span class="who" data-testid="who">
            {session.subject} · {roleName(session.role)}
            {session.regions.length ? ` · ${session.regions.join(", ")}` : ""}
            {session.airline ? ` · ${session.airline}` : ""}
            <button class="link" onClick={logout} title="Alt+Q">
              {t("logout")}
            </button>
          </span>
        ) : null}
      </header>
      <main class="body">
        {!session ? (
          config ? <Login config={config} onLogin={login} /> : <p>{t("loading")}</p>
        ) : view === "calltaker" ? (
          <CallTaker session={session} tileUrl={config?.tile_url} />
        ) : view === "dispatcher" ? (
          <DispatcherView session={session} tileUrl={config?.tile_url} />
        ) : view === "medevac" ? (
          <MedevacView session={session} tileUrl={config?.tile_url} />
        ) : (
          <SituationView session={session} />
        )}
      </main>
    </div>
  );
}
