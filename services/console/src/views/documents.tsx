// A medevac request's documents (ListDocuments) with a download each (DownloadDocument,
// streamed and saved under the file's own name), and a file to attach: a kind, a file, Upload
// (through the console's own `POST /console/documents`, as UploadDocument is a client stream).
import { useState } from "preact/hooks";
import { describeError, medevac, uploadDocument } from "../api.js";
import { clock } from "../format.js";
import { DocumentKind, type Document } from "../gen/jedel/medevac/v1/medevac_pb.js";
import { enumName, t } from "../i18n.js";
import { ErrorBox, noneText, useLoad } from "../ui/common.js";

async function save(doc: Document) {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for await (const message of medevac.downloadDocument({ id: doc.id })) {
    if (message.payload.case === "chunk") parts.push(new Uint8Array(message.payload.value));
  }
  const href = URL.createObjectURL(new Blob(parts, { type: doc.contentType }));
  const link = Object.assign(document.createElement("a"), { href, download: doc.fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** `changes` counts the request events seen; the list is re-read on each (a document added
 * is one). */
export function Documents(props: { requestId: string; changes: number }) {
  const [list, error, reload] = useLoad(() => medevac.listDocuments({ medevacRequestId: props.requestId, pageSize: 100 }), [props.requestId, props.changes]);
  const [saveError, setSaveError] = useState("");
  const [kind, setKind] = useState(DocumentKind.MEDICAL_RECORD_EXTRACT);
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const docs = list?.documents ?? [];
  const upload = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    if (!file || busy) return;
    setBusy(true);
    try {
      await uploadDocument(props.requestId, kind, file);
      setSaveError("");
      setFile(undefined);
      form.reset();
      reload();
    } catch (err) {
      setSaveError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card" data-testid="documents">
      <h3>{t("documents")}</h3>
      <ErrorBox error={error || saveError} />
      {docs.length === 0 ? noneText() : null}
      <ul class="list">
        {docs.map((d) => (
          <li key={d.id} class="item" data-testid="document">
            <span>
              <strong>{d.fileName}</strong> · {enumName(DocumentKind, d.kind)} · {(Number(d.sizeBytes) / 1024).toFixed(1)} {t("kb")} · {clock(d.createdAt)}
            </span>
            <span class="grow" />
            <button data-testid="document-download" onClick={() => save(d).then(() => setSaveError(""), (e) => setSaveError(describeError(e)))}>
              {t("download")}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={upload} data-testid="document-form">
        <input type="file" class="wide" data-testid="document-file" onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        <div class="row">
          <select data-testid="document-kind" value={kind} onChange={(e) => setKind(Number(e.currentTarget.value))} aria-label={t("documentKind")}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {enumName(DocumentKind, k)}
              </option>
            ))}
          </select>
          <span class="grow" />
          <button type="submit" data-testid="document-upload" disabled={!file || busy}>
            {t("upload")}
          </button>
        </div>
      </form>
    </div>
  );
}

const KINDS = [DocumentKind.MEDICAL_RECORD_EXTRACT, DocumentKind.TEST_RESULTS, DocumentKind.IMAGING_REPORT, DocumentKind.CONSENT, DocumentKind.OTHER];
