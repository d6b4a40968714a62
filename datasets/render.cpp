#include "datasets/render.hpp"

#include <png.h>

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "datasets/io/output_file.hpp"

namespace fieldlab::datasets {
namespace {

using Rgb = std::array<std::uint8_t, 3>;

// Viridis sampled at 9 evenly spaced points; linear interpolation between them is within a few
// levels of the full table.
constexpr std::array<Rgb, 9> kViridis = {{{68, 1, 84},
                                          {71, 45, 123},
                                          {59, 82, 139},
                                          {44, 114, 142},
                                          {33, 145, 140},
                                          {40, 174, 128},
                                          {94, 201, 98},
                                          {173, 220, 48},
                                          {253, 231, 37}}};
// Blue - white - red (ColorBrewer RdBu reversed), for signed fields such as vorticity.
constexpr std::array<Rgb, 9> kDiverging = {{{33, 102, 172},
                                            {67, 147, 195},
                                            {146, 197, 222},
                                            {209, 229, 240},
                                            {247, 247, 247},
                                            {253, 219, 199},
                                            {244, 165, 130},
                                            {214, 96, 77},
                                            {178, 24, 43}}};

struct Glyph {
  char c;
  std::array<std::uint8_t, 7> rows;
};
constexpr Glyph kFont[] = {
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
    {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
    {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
    {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
    {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
    {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},
    {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {'+', {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00}},
    {'e', {0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E}},
    {'=', {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00}},
    {'t', {0x08, 0x08, 0x1C, 0x08, 0x08, 0x09, 0x06}},
};

const Glyph* find_glyph(char c) {
  for (const auto& g : kFont)
    if (g.c == c) return &g;
  return nullptr;
}

std::string tick_label(double v) { return fmt::format("{:.3g}", v); }

}  // namespace

Image::Image(int w, int h, Rgb background) : width(w), height(h) {
  rgb.resize(static_cast<size_t>(w) * h * 3);
  for (size_t p = 0; p < rgb.size(); p += 3)
    std::copy(background.begin(), background.end(), &rgb[p]);
}

void Image::set(int x, int y, Rgb c) {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  std::copy(c.begin(), c.end(), &rgb[(static_cast<size_t>(y) * width + x) * 3]);
}

Colormap parse_colormap(const std::string& name) {
  if (name == "viridis") return Colormap::viridis;
  if (name == "diverging") return Colormap::diverging;
  fail(ErrorKind::usage, "unknown colormap '{}' (expected viridis or diverging)", name);
}

Rgb map_color(Colormap map, double value01) {
  const auto& table = map == Colormap::viridis ? kViridis : kDiverging;
  if (!std::isfinite(value01)) return {255, 0, 255};  // NaN/Inf shown in magenta, never hidden
  const double s = std::clamp(value01, 0.0, 1.0) * (table.size() - 1);
  const int k = std::min(static_cast<int>(s), static_cast<int>(table.size()) - 2);
  const double f = s - k;
  Rgb c;
  for (int ch = 0; ch < 3; ++ch)
    c[ch] = static_cast<std::uint8_t>(std::lround(table[k][ch] * (1 - f) + table[k + 1][ch] * f));
  return c;
}

int text_width(const std::string& text, int scale) {
  return static_cast<int>(text.size()) * 6 * scale;
}

void draw_text(Image& image, int x, int y, const std::string& text, int scale, Rgb color) {
  for (size_t k = 0; k < text.size(); ++k) {
    const Glyph* g = find_glyph(text[k]);
    if (!g) continue;
    const int x0 = x + static_cast<int>(k) * 6 * scale;
    for (int row = 0; row < 7; ++row)
      for (int col = 0; col < 5; ++col)
        if (g->rows[row] & (0x10 >> col))
          for (int a = 0; a < scale; ++a)
            for (int b = 0; b < scale; ++b)
              image.set(x0 + col * scale + b, y + row * scale + a, color);
  }
}

namespace {

void append_png_bytes(png_structp png, png_bytep data, png_size_t size) {
  auto* out = static_cast<std::vector<unsigned char>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}
void no_png_flush(png_structp) {}

// Encodes into memory, so that the file is written by the output policy (lock, temporary, sync,
// checked close, rename) with plain write() calls whose errors are seen and reported. libpng
// reports its errors by longjmp: nothing with a destructor lives in this frame.
bool encode_png(const Image& image, std::vector<unsigned char>& out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, &out, append_png_bytes, no_png_flush);
  png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y)
    png_write_row(png, image.rgb.data() + static_cast<size_t>(y) * image.width * 3);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

void write_png(const std::string& path, const Image& image, bool overwrite) {
  std::vector<unsigned char> bytes;
  if (!encode_png(image, bytes)) fail(ErrorKind::internal, "cannot encode PNG '{}'", path);
  io::OutputFile file(path, overwrite);
  file.write(bytes.data(), bytes.size());
  file.commit();
}

Image render_strip(const std::vector<FramePanel>& panels, Colormap map, double vmin, double vmax) {
  require(!panels.empty(), "nothing to render");
  if (vmin == vmax) {
    vmin = INFINITY;
    vmax = -INFINITY;
    for (const auto& p : panels)
      for (double v : p.values)
        if (std::isfinite(v)) {
          vmin = std::min(vmin, v);
          vmax = std::max(vmax, v);
        }
    if (!std::isfinite(vmin)) vmin = vmax = 0;
    if (map == Colormap::diverging) {
      const double m = std::max(std::abs(vmin), std::abs(vmax));
      vmin = -m;
      vmax = m;
    }
    if (vmin == vmax) {
      vmin -= 1;
      vmax += 1;
    }
  }
  const int n = std::max(panels[0].nx, panels[0].ny);
  const int zoom = std::max(1, (160 + n - 1) / n);  // panels at least ~160 px
  const int pw = panels[0].nx * zoom, ph = panels[0].ny * zoom;
  const int gap = 8, top = 24, margin = 8, bar_w = 16;
  const int labels_w = text_width("-0.000e+00") + 8;
  const int count = static_cast<int>(panels.size());
  Image image(margin + count * (pw + gap) + bar_w + labels_w + margin, top + ph + margin);

  for (int k = 0; k < count; ++k) {
    const auto& p = panels[k];
    const int x0 = margin + k * (pw + gap);
    for (int i = 0; i < p.nx; ++i)
      for (int j = 0; j < p.ny; ++j) {
        const double v = p.values[static_cast<size_t>(i) * p.ny + j];
        const auto c = map_color(map, (v - vmin) / (vmax - vmin));
        for (int a = 0; a < zoom; ++a)
          for (int b = 0; b < zoom; ++b)
            image.set(x0 + i * zoom + a, top + (p.ny - 1 - j) * zoom + b, c);  // y up
      }
    draw_text(image, x0, 4, "t=" + fmt::format("{:.4g}", p.time));
  }
  const int bx = margin + count * (pw + gap);
  for (int y = 0; y < ph; ++y) {
    const auto c = map_color(map, 1.0 - static_cast<double>(y) / (ph - 1));
    for (int x = 0; x < bar_w; ++x) image.set(bx + x, top + y, c);
  }
  draw_text(image, bx + bar_w + 4, top, tick_label(vmax));
  draw_text(image, bx + bar_w + 4, top + ph / 2 - 7, tick_label(0.5 * (vmin + vmax)));
  draw_text(image, bx + bar_w + 4, top + ph - 14, tick_label(vmin));
  return image;
}

}  // namespace fieldlab::datasets
