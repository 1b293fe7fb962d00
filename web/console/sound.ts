// The alert sound: short square beeps made on the spot (no audio file to load or cache).
let audio: AudioContext | null = null;

export function beep(times: number): void {
  try {
    audio ??= new AudioContext();
    for (let i = 0; i < times; i++) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      const at = audio.currentTime + i * 0.35;
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, at);
      gain.gain.setValueAtTime(0, at + 0.2);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.25);
    }
  } catch {
    // no audio: the banner is enough
  }
}
