import protobuf from 'protobufjs';

// The parts of opentelemetry-proto (common/v1, resource/v1, trace/v1, collector/trace/v1) that an
// OTLP/HTTP trace receiver reads, with the specification's field numbers. Decoding with protobufjs
// from this schema checks the exporter's bytes independently of OpenTelemetry's own serializer.
const SCHEMA = `
syntax = "proto3";
package otlp;
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message Status { string message = 2; int32 code = 3; }
message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: false }).root;
const request = root.lookupType('otlp.ExportTraceServiceRequest');
const response = root.lookupType('otlp.ExportTraceServiceResponse');

/**
 * Decodes an OTLP/protobuf export request into the OTLP/JSON shape (IDs as lowercase hex, 64-bit
 * integers as strings), so one decoder downstream serves both encodings.
 */
export function decodeProtobufRequest(body: Uint8Array): unknown {
  const message = request.decode(body);
  const object = request.toObject(message, {
    longs: String,
    enums: Number,
    bytes: String,
    defaults: false,
    oneofs: false,
  });
  return JSON.parse(
    JSON.stringify(object, (key, value) =>
      /^(traceId|spanId|parentSpanId)$/.test(key) && typeof value === 'string'
        ? Buffer.from(value, 'base64').toString('hex')
        : value,
    ),
  );
}

/** Encodes an ExportTraceServiceResponse, with a partial success when `rejectedSpans` is given. */
export function encodeProtobufResponse(partial?: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  const payload = partial === undefined ? {} : { partialSuccess: partial };
  return response.encode(response.fromObject(payload)).finish();
}
