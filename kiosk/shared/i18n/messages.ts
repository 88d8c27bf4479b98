// The shape every language file fills. Each domain union (ReasonCode, FaceHint, Screen, ...) is a full Record,
// so appending a member to kiosk/core/types.ts makes the type checker list every language that lacks it.
import type {
  CredentialSource,
  DecisionOutcome,
  DeviceName,
  FaceHint,
  ReasonCode,
} from '../../core/types.ts';
import type { DeviceStatus, Screen } from '../view.ts';

export interface Messages<UiKey extends string = string> {
  readonly ui: Readonly<Record<UiKey, string>>;
  readonly reason: Readonly<Record<ReasonCode, string>>;
  readonly hint: Readonly<Record<FaceHint, string>>;
  readonly screen: Readonly<Record<Screen, string>>;
  readonly outcome: Readonly<Record<DecisionOutcome, string>>;
  readonly source: Readonly<Record<CredentialSource, string>>;
  readonly device: Readonly<Record<DeviceName, string>>;
  readonly deviceFix: Readonly<Record<DeviceName, string>>;
  readonly status: Readonly<Record<DeviceStatus, string>>;
  /** Known notices; unknown ones show `notice.generic`. */
  readonly notice: Readonly<Record<'generic' | (string & {}), string>>;
}
