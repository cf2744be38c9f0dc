// Types for the parts of kafkajs's internal protocol layer Ballast uses (kafkajs ships types
// only for its public API). Kept to what protocol/ and kafka-client.ts call.
declare module 'kafkajs/src/protocol/encoder.js' {
  export default class Encoder {
    writeInt8(value: number): this;
    writeInt16(value: number): this;
    writeInt32(value: number): this;
    writeInt64(value: number | bigint | string): this;
    writeBoolean(value: boolean): this;
    writeUVarInt(value: number): this;
    writeUVarIntString(value: string | null): this;
    writeEncoder(value: Encoder): this;
    size(): number;
    buffer: Buffer;
  }
}

declare module 'kafkajs/src/protocol/decoder.js' {
  export default class Decoder {
    constructor(buffer: Buffer);
    readInt8(): number;
    readInt16(): number;
    readInt32(): number;
    readInt64(): bigint;
    readBoolean(): boolean;
    readUVarInt(): number;
    readUVarIntString(): string | null;
    readUVarIntArray<T>(reader: (decoder: Decoder) => T): T[] | null;
    readTaggedFields(): void;
  }
}

declare module 'kafkajs/src/protocol/error.js' {
  export const errorCodes: { type: string; code: number; retriable: boolean; message: string }[];
}

declare module 'kafkajs/src/protocol/requests/metadata/v6/request.js' {
  const metadataRequest: (args: { topics: string[]; allowAutoTopicCreation: boolean }) => unknown;
  export default metadataRequest;
}

declare module 'kafkajs/src/protocol/requests/metadata/v6/response.js' {
  export function decode(raw: Buffer): Promise<unknown>;
}
