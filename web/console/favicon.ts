// The tab's icon shows how many high or imminent children wait, readable in a row of tabs where
// the title is cut short. Drawn on a canvas into a data: URL (the CSP allows img-src data:).
import { effect } from '@preact/signals';
import { phase, urgentWaiting } from './state.js';

function icon(count: number): string {
  const size = 32;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const g = canvas.getContext('2d');
  if (!g) return '';
  g.fillStyle = count ? '#c62828' : '#1f2d5c';
  g.beginPath();
  g.arc(size / 2, size / 2, size / 2, 0, Math.PI * 2);
  g.fill();
  if (count) {
    g.fillStyle = '#fff';
    g.font = `bold ${count > 9 ? 17 : 21}px system-ui, sans-serif`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(count > 99 ? '99' : String(count), size / 2, size / 2 + 1);
  }
  return canvas.toDataURL('image/png');
}

export function followUrgentCount(): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.appendChild(link);
  }
  const el = link;
  let shown = -1;
  effect(() => {
    const n = phase.value === 'app' ? urgentWaiting.value : 0;
    if (n === shown) return;
    shown = n;
    el.href = icon(n);
    el.setAttribute('data-count', String(n));
  });
}
