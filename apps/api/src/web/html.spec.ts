import { escapeHtml, html } from './html';

describe('html template', () => {
  it('escapes interpolated text, attributes included', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>',
    );
  });

  it('keeps nested templates and lists as markup, and drops empty values', () => {
    const items = ['a<b', 'c'].map((s) => html`<li>${s}</li>`);
    expect(
      html`<ul>
        ${items}${null}${false}${undefined}
      </ul>`.value.replace(/>\s+</g, '><'),
    ).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('escapes numbers as text', () => {
    expect(escapeHtml(String(12))).toBe('12');
    expect(html`${0}`.value).toBe('0');
  });
});
