// The call-taker's view: the new-call form with the triage questions in the chosen language
// and a live preview of the category, then the server's category with its reason, the norm
// countdown, and the duplicate and repeat candidates to link. Ctrl+Enter registers.
import { useState } from "preact/hooks";
import { describeError, intake, requestId, type Session } from "../api.js";
import { ms, clock, km } from "../format.js";
import { CallStatus, LinkKind, type CreateCallResponse, type Protocol } from "../gen/jedel/intake/v1/intake_pb.js";
import { Sex } from "../gen/jedel/common/v1/common_pb.js";
import { loc, t, useLang, enumName } from "../i18n.js";
import { askedAnswers, firedRule, visibleQuestions, type Answers } from "../triage.js";
import { CategoryBadge, Countdown, ErrorBox, noneText, useLoad, useRegions, useKeys } from "../ui/common.js";
import { KzMap } from "../ui/KzMap.js";

interface Form {
  region: string;
  phone: string;
  callerName: string;
  address: string;
  lat: string;
  lon: string;
  iin: string;
  patientName: string;
  age: string;
  sex: Sex;
  complaint: string;
}

const EMPTY: Omit<Form, "region"> = {
  phone: "", callerName: "", address: "", lat: "", lon: "", iin: "", patientName: "", age: "", sex: Sex.UNSPECIFIED, complaint: "",
};

export function CallTaker(props: { session: Session; tileUrl?: string | null }) {
  useLang();
  const regions = useRegions();
  const [protocol, protocolError] = useLoad<Protocol>(() => intake.getProtocol({}), []);
  const [form, setForm] = useState<Form>({ region: props.session.regions[0] ?? "KZ-71", ...EMPTY });
  const [answers, setAnswers] = useState<Answers>({});
  const [result, setResult] = useState<CreateCallResponse>();
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(requestId());
  const set = (field: keyof Form) => (e: Event) => setForm({ ...form, [field]: (e.currentTarget as HTMLInputElement).value });

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError("");
    try {
      const lat = parseFloat(form.lat);
      const lon = parseFloat(form.lon);
      const asked = protocol ? askedAnswers(protocol, answers) : {};
      const response = await intake.createCall({
        requestId: key,
        regionCode: form.region,
        caller: { phone: form.phone, name: form.callerName },
        location: { address: form.address, position: Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined },
        patient: { iin: form.iin, name: form.patientName, ageYears: form.age ? parseInt(form.age, 10) : undefined, sex: form.sex },
        complaint: form.complaint,
        triageAnswers: Object.entries(asked).map(([questionId, answerId]) => ({ questionId, answerId })),
      });
      setResult(response);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setForm({ region: form.region, ...EMPTY });
    setAnswers({});
    setResult(undefined);
    setError("");
    setKey(requestId());
    document.querySelector<HTMLInputElement>("[data-testid=call-phone]")?.focus();
  };
  useKeys((e) => {
    if (e.ctrlKey && e.key === "Enter") {
      e.preventDefault();
      submit();
    } else if (e.altKey && e.key.toLowerCase() === "n") {
      e.preventDefault();
      reset();
    }
  });

  const preview = protocol ? firedRule(protocol, askedAnswers(protocol, answers)) : undefined;
  const centre = regions.find((r) => r.code === form.region)?.position;
  const lat = parseFloat(form.lat);
  const lon = parseFloat(form.lon);
  return (
    <div class="grid calltaker">
      <form class="card" onSubmit={(e) => (e.preventDefault(), submit())} data-testid="call-form">
        <h2>
          {t("newCall")} <kbd>Alt+N</kbd>
        </h2>
        <div class="row">
          <label>
            {t("region")}
            <select value={form.region} onChange={set("region")} data-testid="call-region">
              {(props.session.regions.length ? props.session.regions : regions.map((r) => r.code)).map((code) => (
                <option key={code}>{code}</option>
              ))}
            </select>
          </label>
          <label>
            {t("phone")}
            <input data-testid="call-phone" value={form.phone} onInput={set("phone")} autoFocus placeholder="8 701 234 56 78" />
          </label>
          <label>
            {t("callerName")}
            <input value={form.callerName} onInput={set("callerName")} />
          </label>
        </div>
        <label>
          {t("address")}
          <input data-testid="call-address" value={form.address} onInput={set("address")} />
        </label>
        <div class="row">
          <label>
            {t("lat")}
            <input data-testid="call-lat" value={form.lat} onInput={set("lat")} inputMode="decimal" />
          </label>
          <label>
            {t("lon")}
            <input data-testid="call-lon" value={form.lon} onInput={set("lon")} inputMode="decimal" />
          </label>
          <label>
            {t("iin")}
            <input data-testid="call-iin" value={form.iin} onInput={set("iin")} maxLength={12} />
          </label>
          <label>
            {t("age")}
            <input value={form.age} onInput={set("age")} inputMode="numeric" size={3} />
          </label>
        </div>
        <div class="row">
          <label class="grow">
            {t("patientName")}
            <input value={form.patientName} onInput={set("patientName")} />
          </label>
          <label class="grow">
            {t("complaint")}
            <input data-testid="call-complaint" value={form.complaint} onInput={set("complaint")} />
          </label>
        </div>
        <h3>
          {t("triage")} {protocol ? <span class="muted">{loc(protocol.title)} · {protocol.version}</span> : null}
        </h3>
        <ErrorBox error={protocolError} />
        <div class="questions" data-testid="triage">
          {protocol
            ? visibleQuestions(protocol, answers).map((q) => (
                <fieldset key={q.id} class="question" data-question={q.id}>
                  <legend>{loc(q.text)}</legend>
                  {q.answers.map((a) => (
                    <label key={a.id} class="answer">
                      <input
                        type="radio"
                        name={q.id}
                        value={a.id}
                        data-testid={`answer-${q.id}-${a.id}`}
                        checked={answers[q.id] === a.id}
                        onChange={() => setAnswers({ ...answers, [q.id]: a.id })}
                      />
                      {loc(a.text)}
                    </label>
                  ))}
                </fieldset>
              ))
            : null}
        </div>
        <div class="row end">
          <span class="preview" data-testid="triage-preview">
            {t("preview")}:{" "}
            {preview ? (
              <>
                <CategoryBadge category={preview.category} /> {loc(preview.name)}
              </>
            ) : (
              <span class="muted">{t("undecided")}</span>
            )}
          </span>
          <span class="grow" />
          <button type="submit" class="primary" disabled={busy} data-testid="call-submit">
            {t("create")} <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
        <ErrorBox error={error} />
      </form>
      <div class="side">
        <div class="card">
          <KzMap
            tileUrl={props.tileUrl}
            markers={[
              ...(centre ? [{ ...centre, kind: "region" as const, label: form.region }] : []),
              ...(Number.isFinite(lat) && Number.isFinite(lon) ? [{ lat, lon, kind: "call" as const, label: form.address }] : []),
            ]}
            onPick={(at) => setForm({ ...form, lat: at.lat.toFixed(5), lon: at.lon.toFixed(5) })}
            height={220}
          />
        </div>
        {result ? <CallResult result={result} protocol={protocol} onLinked={reset} /> : null}
      </div>
    </div>
  );
}

function CallResult(props: { result: CreateCallResponse; protocol?: Protocol; onLinked: () => void }) {
  const call = props.result.call!;
  const [error, setError] = useState("");
  const rule = props.protocol?.rules.find((r) => r.determinant === call.triage?.determinant);
  const link = async (primary: string, kind: LinkKind) => {
    try {
      await intake.linkCall({ id: call.id, primaryCallId: primary, kind, expectedVersion: call.version });
      props.onLinked();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <div class="card result" data-testid="call-result">
      <h2>
        № <span data-testid="call-number">{call.number}</span> <CategoryBadge category={call.category} />
      </h2>
      <p data-testid="call-reason">
        {t("reason")}: <strong>{rule ? loc(rule.name) : call.triage?.determinant || t("undecided")}</strong>
        {call.triage?.determinant ? <code> {call.triage.determinant}</code> : null}
      </p>
      <p>
        {t("status")}: {enumName(CallStatus, call.status)} · {t("deadline")}: {clock(call.deadlineAt)} <Countdown deadline={ms(call.deadlineAt)} />
      </p>
      <h3>{t("duplicates")}</h3>
      {props.result.duplicateCandidates.length === 0 ? noneText() : null}
      {props.result.duplicateCandidates.map((d) => (
        <div class="row cand" key={d.call!.id} data-testid="duplicate">
          <span>
            № {d.call!.number} · {km(d.distanceM)} · {clock(d.call!.receivedAt)} · {enumName(CallStatus, d.call!.status)}
          </span>
          <button onClick={() => link(d.call!.id, LinkKind.DUPLICATE)}>{t("linkDuplicate")}</button>
        </div>
      ))}
      <h3>{t("repeats")}</h3>
      {props.result.repeatCandidates.length === 0 ? noneText() : null}
      {props.result.repeatCandidates.map((c) => (
        <div class="row cand" key={c.id} data-testid="repeat">
          <span>
            № {c.number} · {clock(c.receivedAt)} · {enumName(CallStatus, c.status)}
          </span>
          <button onClick={() => link(c.id, LinkKind.REPEAT)}>{t("linkRepeat")}</button>
        </div>
      ))}
      <ErrorBox error={error} />
    </div>
  );
}
