// The coordinating doctor's form: a medical-aviation request for their region, created and
// submitted in one step (every missing or bad field is listed by the server).
import { useState } from "preact/hooks";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describeError, medevac, registry, requestId, type Session } from "../api.js";
import { MissionType, PatientNeed, Severity, Urgency } from "../gen/jedel/medevac/v1/medevac_pb.js";
import { enumName, t, useLang, type Key } from "../i18n.js";
import { ErrorBox, useLoad } from "../ui/common.js";

const FIELDS = ["doctorName", "doctorPhone", "iin", "familyName", "givenName", "weight", "icd10", "destName", "destLat", "destLon", "consentDoctor"] as const;
type Field = (typeof FIELDS)[number];

const MISSIONS = [MissionType.PATIENT_TRANSPORT, MissionType.SPECIALIST_DELIVERY, MissionType.ON_SITE_SURGERY, MissionType.ORGAN_TRANSPORT];
const SEVERITIES = [Severity.SATISFACTORY, Severity.MODERATE, Severity.SEVERE, Severity.EXTREMELY_SEVERE, Severity.TERMINAL];
const NEEDS = [PatientNeed.STRETCHER, PatientNeed.OXYGEN, PatientNeed.INTENSIVE_CARE_MODULE, PatientNeed.INCUBATOR];

export function CoordinatorForm(props: { session: Session; onCreated: (id: string) => void }) {
  useLang();
  const region = props.session.regions[0] ?? "";
  const [hospitals] = useLoad(() => registry.listHospitals({ regionCode: region, pageSize: 1000 }), [region]);
  const [origin, setOrigin] = useState("");
  const [urgency, setUrgency] = useState(Urgency.EMERGENCY);
  const [mission, setMission] = useState(MissionType.PATIENT_TRANSPORT);
  const [severity, setSeverity] = useState(Severity.SEVERE);
  const [needs, setNeeds] = useState<PatientNeed[]>([PatientNeed.STRETCHER]);
  const [values, setValues] = useState<Record<Field, string>>(Object.fromEntries(FIELDS.map((f) => [f, ""])) as Record<Field, string>);
  const [error, setError] = useState("");
  const [key] = useState(requestId());
  const input = (field: Field, label: Key) => (
    <label>
      {t(label)}
      <input data-testid={`mr-${field}`} value={values[field]} onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })} />
    </label>
  );
  const choice = <E extends number>(label: Key, table: Record<number, string>, options: E[], value: E, set: (v: E) => void) => (
    <label>
      {t(label)}
      <select data-testid={`mr-${label}`} value={value} onChange={(e) => set(Number(e.currentTarget.value) as E)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {enumName(table, o)}
          </option>
        ))}
      </select>
    </label>
  );
  const toggle = (need: PatientNeed) => setNeeds(needs.includes(need) ? needs.filter((n) => n !== need) : [...needs, need]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const h = hospitals?.hospitals.find((x) => x.id === origin);
    try {
      const created = await medevac.createRequest({
        requestId: key,
        regionCode: region,
        details: {
          missionType: mission,
          urgency,
          coordinatingDoctor: { fullName: values.doctorName, phone: values.doctorPhone },
          patient: {
            iin: values.iin, familyName: values.familyName, givenName: values.givenName, weightKg: parseFloat(values.weight) || 0,
            icd10Code: values.icd10, severity, needs,
          },
          origin: h ? { hospitalId: h.id, name: h.name, position: h.position } : undefined,
          destination: { name: values.destName, position: { lat: parseFloat(values.destLat), lon: parseFloat(values.destLon) } },
          receivingConsent: values.consentDoctor
            ? { doctor: { fullName: values.consentDoctor }, givenAt: timestampFromDate(new Date(Date.now() - 60_000)) }
            : undefined,
        },
      });
      await medevac.submitRequest({ id: created.id });
      setError("");
      props.onCreated(created.id);
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <form class="card fields" onSubmit={submit} data-testid="request-form">
      <h2>
        {t("newRequest")} · {region}
      </h2>
      <div class="row">
        {choice("missionType", MissionType, MISSIONS, mission, setMission)}
        {choice("urgency", Urgency, [Urgency.EMERGENCY, Urgency.URGENT, Urgency.PLANNED], urgency, setUrgency)}
      </div>
      <div class="row">
        {input("doctorName", "doctor")}
        {input("doctorPhone", "phone")}
      </div>
      <div class="row">
        {input("iin", "iin")}
        {input("familyName", "familyName")}
        {input("givenName", "givenName")}
      </div>
      <div class="row">
        {input("weight", "weight")}
        {input("icd10", "icd10")}
        {choice("severity", Severity, SEVERITIES, severity, setSeverity)}
      </div>
      <fieldset class="question" data-testid="mr-needs">
        <legend>{t("needs")}</legend>
        {NEEDS.map((need) => (
          <label class="answer" key={need}>
            <input type="checkbox" checked={needs.includes(need)} onChange={() => toggle(need)} /> {enumName(PatientNeed, need)}
          </label>
        ))}
      </fieldset>
      <label>
        {t("origin")}
        <select data-testid="mr-origin" value={origin} onChange={(e) => setOrigin(e.currentTarget.value)}>
          <option value="">—</option>
          {(hospitals?.hospitals ?? []).map((h) => (
            <option key={h.id} value={h.id}>
              {h.code} {h.name}
            </option>
          ))}
        </select>
      </label>
      <div class="row">
        {input("destName", "destination")}
        {input("destLat", "lat")}
        {input("destLon", "lon")}
      </div>
      <div class="row end">
        {input("consentDoctor", "consent")}
        <span class="grow" />
        <button type="submit" class="primary" data-testid="mr-submit">
          {t("submit")}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
