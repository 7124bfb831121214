// The coordinating doctor's form: a medical-aviation request for their region, created and
// submitted in one step (every missing or bad field is listed by the server).
import { useState } from "preact/hooks";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describeError, medevac, registry, requestId, type Session } from "../api.js";
import { MissionType, PatientNeed, Severity, Urgency } from "../gen/jedel/medevac/v1/medevac_pb.js";
import { t } from "../i18n.js";
import { ErrorBox, useLoad } from "../ui/common.js";

const FIELDS = ["doctorName", "doctorPhone", "iin", "familyName", "givenName", "weight", "icd10", "destName", "destLat", "destLon", "consentDoctor"] as const;
type Field = (typeof FIELDS)[number];

export function CoordinatorForm(props: { session: Session; onCreated: (id: string) => void }) {
  const region = props.session.regions[0] ?? "";
  const [hospitals] = useLoad(() => registry.listHospitals({ regionCode: region, pageSize: 1000 }), [region]);
  const [origin, setOrigin] = useState("");
  const [urgency, setUrgency] = useState(Urgency.EMERGENCY);
  const [needs, setNeeds] = useState<PatientNeed[]>([PatientNeed.STRETCHER]);
  const [values, setValues] = useState<Record<Field, string>>(Object.fromEntries(FIELDS.map((f) => [f, ""])) as Record<Field, string>);
  const [error, setError] = useState("");
  const [key] = useState(requestId());
  const input = (field: Field, label: string) => (
    <label>
      {label}
      <input data-testid={`mr-${field}`} value={values[field]} onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })} />
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
          missionType: MissionType.PATIENT_TRANSPORT,
          urgency,
          coordinatingDoctor: { fullName: values.doctorName, phone: values.doctorPhone },
          patient: {
            iin: values.iin, familyName: values.familyName, givenName: values.givenName, weightKg: parseFloat(values.weight) || 0,
            icd10Code: values.icd10, severity: Severity.SEVERE, needs,
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
    <form class="card" onSubmit={submit} data-testid="request-form">
      <h2>
        {t("newRequest")} · {region}
      </h2>
      <div class="row">
        <label>
          Urgency
          <select value={urgency} onChange={(e) => setUrgency(Number(e.currentTarget.value))}>
            <option value={Urgency.EMERGENCY}>emergency</option>
            <option value={Urgency.URGENT}>urgent</option>
            <option value={Urgency.PLANNED}>planned</option>
          </select>
        </label>
        {input("doctorName", "Doctor")}
        {input("doctorPhone", t("phone"))}
      </div>
      <div class="row">
        {input("iin", t("iin"))}
        {input("familyName", "Family name")}
        {input("givenName", "Given name")}
      </div>
      <div class="row">
        {input("weight", "kg")}
        {input("icd10", "ICD-10")}
        <label class="answer">
          <input type="checkbox" checked={needs.includes(PatientNeed.STRETCHER)} onChange={() => toggle(PatientNeed.STRETCHER)} /> stretcher
        </label>
        <label class="answer">
          <input type="checkbox" checked={needs.includes(PatientNeed.OXYGEN)} onChange={() => toggle(PatientNeed.OXYGEN)} /> oxygen
        </label>
      </div>
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
        {input("destName", t("destination"))}
        {input("destLat", t("lat"))}
        {input("destLon", t("lon"))}
      </div>
      <div class="row end">
        {input("consentDoctor", "Consent")}
        <span class="grow" />
        <button type="submit" class="primary" data-testid="mr-submit">
          {t("submit")}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
