import { Construct } from 'constructs';
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response';

/**
 * What API Gateway answers ITSELF — before or instead of the API function (missing or wrong API key, throttling, quota,
 * an integration timeout, its own 5xx) — in the API's documented error shape (docs/api.md "Errors"):
 * `{"error":{"code","message","requestId"}}`, `application/json`, instead of API Gateway's `{"message":"Forbidden"}`.
 *
 * `code` is the stable, machine-readable part clients branch on (the same codes the function and the dev fleet use where
 * they mean the same thing); `message` is API Gateway's own text (`$context.error.messageString`, already a quoted JSON
 * string); `requestId` is the API Gateway request id, as in the function's 500s.
 */
export interface GatewayErrorResponse {
  /** API Gateway response type. */
  readonly type: string;
  /** HTTP status (only where it differs from API Gateway's default for the type, or to pin it). */
  readonly status?: string;
  readonly code: string;
  /** Extra response headers (`Retry-After` on throttling). */
  readonly headers?: Readonly<Record<string, string>>;
}

export const GATEWAY_ERROR_RESPONSES: readonly GatewayErrorResponse[] = [
  // Catch-alls: every 4XX/5XX type without its own entry below.
  { type: 'DEFAULT_4XX', code: 'bad_request' },
  { type: 'DEFAULT_5XX', code: 'gateway_error' },
  // 403: the API key is the API's only authentication (a missing key is INVALID_API_KEY too).
  { type: 'INVALID_API_KEY', status: '403', code: 'invalid_api_key' },
  { type: 'ACCESS_DENIED', status: '403', code: 'access_denied' },
  // 429: the usage plan's rate/burst and daily quota.
  { type: 'THROTTLED', status: '429', code: 'too_many_requests', headers: { 'Retry-After': '1' } },
  { type: 'QUOTA_EXCEEDED', status: '429', code: 'quota_exceeded' },
  // API Gateway's "Missing Authentication Token" is what it says for a path no resource matches (every path under the
  // stage matches {proxy+}; a wrong stage or base path does not): a 404 in the API's words.
  { type: 'MISSING_AUTHENTICATION_TOKEN', status: '404', code: 'not_found' },
  { type: 'REQUEST_TOO_LARGE', status: '413', code: 'body_too_large' },
  { type: 'INTEGRATION_TIMEOUT', status: '504', code: 'gateway_timeout', headers: { 'Retry-After': '1' } },
  { type: 'INTEGRATION_FAILURE', status: '502', code: 'gateway_error' },
];

/** The `application/json` mapping template of one response (VTL; `$context.error.messageString` is JSON-quoted). */
export function gatewayResponseTemplate(response: GatewayErrorResponse): string {
  return `{"error":{"code":"${response.code}","message":$context.error.messageString,"requestId":"$context.requestId"}}`;
}

/** One aws_api_gateway_gateway_response per entry of {@link GATEWAY_ERROR_RESPONSES}. */
export function gatewayErrorResponses(scope: Construct, restApiId: string): ApiGatewayGatewayResponse[] {
  return GATEWAY_ERROR_RESPONSES.map(
    (response) =>
      new ApiGatewayGatewayResponse(scope, `gateway-response-${response.type.toLowerCase().replace(/_/g, '-')}`, {
        restApiId,
        responseType: response.type,
        ...(response.status === undefined ? {} : { statusCode: response.status }),
        responseTemplates: { 'application/json': gatewayResponseTemplate(response) },
        responseParameters: {
          'gatewayresponse.header.Content-Type': "'application/json'",
          ...Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`])),
        },
      }),
  );
}
