// IncrementalAlterConfigs (key 44) v1: SET, DELETE, APPEND or SUBTRACT single config entries,
// leaving every other dynamic config of the resource as it is (unlike AlterConfigs).
import {
  type ApiSpec,
  type Decoder,
  flexibleRequest,
  readCompactArray,
  readCompactString,
  writeCompactArray,
  writeTags,
} from './codec.js';

export const INCREMENTAL_ALTER_CONFIGS: ApiSpec = {
  apiKey: 44,
  apiName: 'IncrementalAlterConfigs',
  apiVersion: 1,
  sinceKafka: '2.4',
};

export const RESOURCE_TYPE = { topic: 2, broker: 4 } as const;
export const CONFIG_OPERATION = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface ConfigResourceChange {
  resourceType: number;
  resourceName: string;
  configs: { name: string; operation: number; value: string | null }[];
}

export interface ConfigResourceResult {
  resourceType: number;
  resourceName: string;
  errorCode: number;
  errorMessage: string | null;
}

export function incrementalAlterConfigsRequest(resources: ConfigResourceChange[], validateOnly = false) {
  return flexibleRequest<ConfigResourceResult[]>(
    INCREMENTAL_ALTER_CONFIGS,
    (e) => {
      writeCompactArray(e, resources, (re, r) => {
        re.writeInt8(r.resourceType);
        re.writeUVarIntString(r.resourceName);
        writeCompactArray(re, r.configs, (ce, c) => {
          ce.writeUVarIntString(c.name);
          ce.writeInt8(c.operation);
          ce.writeUVarIntString(c.value);
          writeTags(ce);
        });
        writeTags(re);
      });
      e.writeBoolean(validateOnly);
      writeTags(e);
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const results = readCompactArray(d, (rd: Decoder) => {
        const errorCode = rd.readInt16();
        const errorMessage = rd.readUVarIntString();
        const resourceType = rd.readInt8();
        const resourceName = readCompactString(rd);
        rd.readTaggedFields();
        return { resourceType, resourceName, errorCode, errorMessage };
      });
      d.readTaggedFields();
      return results;
    },
  );
}
