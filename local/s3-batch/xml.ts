import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { ApiError } from './model';

/** S3 Control's REST-XML namespace, on every response root as the service sends it. */
const S3_CONTROL_NS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

/** An XML element's content: text, child elements (arrays repeat the element), or absent. */
type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | XmlObject;
export interface XmlObject {
  readonly [name: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Values stay text: the request schema decides what is a number or a boolean.
  parseTagValue: false,
  // S3 Control lists wrap each item in <member>, one or many.
  isArray: (name) => name === 'member',
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** The children of the document's root element, which must be `root`. */
export function parseRequestXml(body: string, root: string): Record<string, unknown> {
  const valid = XMLValidator.validate(body);
  if (valid !== true)
    throw new ApiError(400, 'MalformedXML', `The XML is not well-formed: ${valid.err.msg}`);
  const document = parser.parse(body) as Record<string, unknown>;
  const content = document[root];
  if (content === undefined)
    throw new ApiError(400, 'MalformedXML', `The request body must be a <${root}> document`);
  return typeof content === 'object' && content !== null
    ? (content as Record<string, unknown>)
    : {};
}

/** Drops absent values and writes dates as ISO 8601, which is how the SDK reads timestamps. */
function prune(value: XmlValue): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(prune);
  if (typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, prune(v)]),
  );
}

/** A response document `<root xmlns="...">content</root>`. */
export function responseXml(root: string, content: XmlObject): string {
  const body = builder.build({
    [root]: { '@_xmlns': S3_CONTROL_NS, ...(prune(content) as object) },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

/** S3 Control's error document; the SDK reads Error.Code as the exception name. */
export function errorXml(code: string, message: string, requestId: string): string {
  const body = builder.build({
    ErrorResponse: { Error: { Code: code, Message: message }, RequestId: requestId },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
