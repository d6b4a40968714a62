#pragma once
// Pictures of trajectory data: colormaps, a tiny bitmap font for numbers, PNG output, and a strip
// of frames with a colour bar so a person can look at a dataset.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace fieldlab::datasets {

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, top row first
  Image(int w, int h, std::array<std::uint8_t, 3> background = {255, 255, 255});
  void set(int x, int y, std::array<std::uint8_t, 3> c);
};

enum class Colormap { viridis, diverging };
Colormap parse_colormap(const std::string& name);  // "viridis", "diverging"
std::array<std::uint8_t, 3> map_color(Colormap map, double value01);

// Draws digits, '.', '-', '+', 'e', '=', 't' and spaces with a 5x7 font magnified by `scale`.
void draw_text(Image& image, int x, int y, const std::string& text, int scale = 2,
               std::array<std::uint8_t, 3> color = {0, 0, 0});
int text_width(const std::string& text, int scale = 2);

// Writes an 8-bit RGB PNG through the output-file policy (datasets/io/output_file.hpp): locked,
// atomic, and an existing file is replaced only with overwrite.
void write_png(const std::string& path, const Image& image, bool overwrite);

struct FramePanel {
  std::vector<double> values;  // nx * ny, [x, y] row-major
  int nx = 0, ny = 0;
  double time = 0;
};

// Panels side by side (x to the right, y up), each labelled with its time, and a colour bar with
// min / mid / max ticks. vmin == vmax chooses limits from the data (symmetric for diverging).
Image render_strip(const std::vector<FramePanel>& panels, Colormap map, double vmin = 0,
                   double vmax = 0);

}  // namespace fieldlab::datasets
