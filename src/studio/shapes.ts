// The studio's answer shapes that its page reads too (web/studio imports them as types): no
// imports here, so the browser build never pulls in a Node module.

export interface MapButton {
  label: string;
  /** The label in each language (null: missing there). */
  labels: Record<string, string | null>;
  goto?: string;
  action?: string;
}

export interface MapStep {
  id: string;
  text: string;
  texts: Record<string, string | null>;
  buttons: MapButton[];
  /** What points here, in words an editor reads: "step menu", "intent school_stress", "the bot". */
  usedBy: string[];
}

/** An intent found by the studio's search: the lines that matched, with their risk. */
export interface IntentHit {
  id: string;
  file: string;
  topic: string;
  risk: string;
  examples: { lang: string; text: string; risk: string }[];
  lexicon: { lang: string; phrase: string }[];
  matches: number;
}

