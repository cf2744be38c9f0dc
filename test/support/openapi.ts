// Validators built from Cruise Control's OpenAPI spec, so tests prove Ballast's JSON answers have the
// shape Cruise Control clients expect.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';

/** The spec folder; CRUISE_CONTROL_OPENAPI_DIR overrides the checkout next to the repository. */
export const CRUISE_CONTROL_OPENAPI_DIR =
  process.env.CRUISE_CONTROL_OPENAPI_DIR ??
  fileURLToPath(new URL('../../../shared/reference/cruise-control-openapi', import.meta.url));

// A made-up base URL: each response file gets an $id under it, so the spec's relative refs
// ('./brokerStats.yaml#/BrokerStats', '#/ClusterStats') resolve like files next to each other.
const BASE_ID = 'https://cruise-control.spec/responses/';

export interface ResponseValidator {
  (document: unknown): boolean;
  /** Ajv's errors of the last call, readable; empty after a document that validated. */
  errors(): string;
}

let ajv: Ajv | undefined;
let lenientAjv: Ajv | undefined;

function specAjv(): Ajv {
  ajv ??= buildAjv(false);
  return ajv;
}

function doubleAsNumberAjv(): Ajv {
  lenientAjv ??= buildAjv(true);
  return lenientAjv;
}

/** `type: integer` with `format: double` becomes `type: number`, everywhere in the document. */
function integerDoubleAsNumber(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(integerDoubleAsNumber);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, integerDoubleAsNumber(v)]));
  if (copy.type === 'integer' && copy.format === 'double') copy.type = 'number';
  return copy;
}

function buildAjv(doubleAsNumber: boolean): Ajv {
  // OpenAPI 3.0 schemas are not pure JSON Schema: `example` and `format: int32/double/boolean`
  // are not JSON Schema vocabulary, so unknown keywords are allowed and formats are not checked.
  const instance = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const folder = join(CRUISE_CONTROL_OPENAPI_DIR, 'responses');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
    const parsed = parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
    const document = doubleAsNumber ? (integerDoubleAsNumber(parsed) as Record<string, unknown>) : parsed;
    instance.addSchema({ ...document, $id: `${BASE_ID}${file}` });
  }
  return instance;
}

/**
 * A validator for one schema of one response file, e.g. ('kafkaClusterState.yaml', 'KafkaClusterState').
 * `doubleAsNumber`: read `type: integer, format: double` as a number. The spec says so for the
 * load figures of PartitionLoadRecord, while Cruise Control itself answers doubles there.
 */
export function responseValidator(
  fileName: string,
  schemaName: string,
  options: { doubleAsNumber?: boolean } = {},
): ResponseValidator {
  const instance = options.doubleAsNumber ? doubleAsNumberAjv() : specAjv();
  const validate = instance.getSchema(`${BASE_ID}${fileName}#/${schemaName}`);
  if (!validate) throw new Error(`No schema ${schemaName} in ${fileName} under ${CRUISE_CONTROL_OPENAPI_DIR}`);
  let lastErrors: ErrorObject[] = [];
  const validator = (document: unknown): boolean => {
    const ok = validate(document) as boolean;
    lastErrors = validate.errors ?? [];
    return ok;
  };
  validator.errors = () => instance.errorsText(lastErrors, { separator: '\n' });
  return validator;
}
