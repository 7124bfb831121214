// The login screen: the embedded deployment's local login (name, role, scope), or a token
// from `jedel token issue` pasted in.
import { useState } from "preact/hooks";
import { localLogin, sessionFromToken, describeError, type ConsoleConfig, type Session } from "../api.js";
import { roleName, t } from "../i18n.js";
import { ErrorBox, useRegions } from "../ui/common.js";

const ROLES = ["call_taker", "dispatcher", "coordinator", "medevac_dispatcher", "airline", "situation", "admin"];
const AIRLINES = ["KAZAVIASPAS", "EAST_WING", "AERO_AK", "ORLAN_2000", "NAVIGATOR_AK", "TARAZ_ZHANA_ALEM", "DALA_AIR",
  "ZHETYSU_AK", "ASIA_CONTINENTAL", "ZHEZKAZGAN_AIR", "DAP_AEROSERVICE"];

export function Login(props: { config: ConsoleConfig; onLogin: (s: Session) => void }) {
  const regions = useRegions();
  const [subject, setSubject] = useState("");
  const [role, setRole] = useState("dispatcher");
  const [region, setRegion] = useState("KZ-71");
  const [airline, setAirline] = useState("EAST_WING");
  const [token, setToken] = useState("");
  const [error, setError] = useState("");
  const scoped = ["call_taker", "dispatcher", "coordinator"].includes(role);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError("");
    try {
      if (!props.config.local_login || token.trim()) {
        props.onLogin(sessionFromToken(token.trim()));
      } else {
        props.onLogin(
          await localLogin({
            subject: subject.trim(),
            role,
            regions: scoped ? region.split(/[,\s]+/).filter(Boolean) : [],
            airline: role === "airline" ? airline : undefined,
          }),
        );
      }
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form class="login card" onSubmit={submit} data-testid="login">
      <h1>{t("appTitle")}</h1>
      {props.config.local_login ? (
        <>
          <label>
            {t("name")}
            <input data-testid="login-name" value={subject} onInput={(e) => setSubject(e.currentTarget.value)} autoFocus required={!token} />
          </label>
          <label>
            {t("role")}
            <select data-testid="login-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleName(r)}
                </option>
              ))}
            </select>
          </label>
          {scoped ? (
            <label>
              {t("regions")}
              <input data-testid="login-region" list="region-codes" value={region} onInput={(e) => setRegion(e.currentTarget.value)} />
              <datalist id="region-codes">
                {regions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.centreName}
                  </option>
                ))}
              </datalist>
            </label>
          ) : null}
          {role === "airline" ? (
            <label>
              {t("airline")}
              <select data-testid="login-airline" value={airline} onChange={(e) => setAirline(e.currentTarget.value)}>
                {AIRLINES.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </label>
          ) : null}
        </>
      ) : (
        <p class="muted">{t("localLoginOff")}</p>
      )}
      <details open={!props.config.local_login}>
        <summary>{t("useToken")}</summary>
        <textarea data-testid="login-token" rows={3} value={token} onInput={(e) => setToken(e.currentTarget.value)} />
      </details>
      <ErrorBox error={error} />
      <button type="submit" class="primary" data-testid="login-submit">
        {t("login")}
      </button>
    </form>
  );
}
