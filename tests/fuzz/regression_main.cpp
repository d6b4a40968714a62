// Regression runner for one fuzz harness without libFuzzer: feeds every file of the folders
// given (the harness's corpus and its kept crash inputs) to LLVMFuzzerTestOneInput, in name
// order. A harness that crashes, trips a sanitizer or lets an exception other than
// fieldlab::Error escape fails the run. The first folder (the corpus) must not be empty, so a
// mistyped path cannot pass by testing nothing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MORE_DIRS...]\n", argv[0]);
    return 2;
  }
  std::size_t total = 0;
  for (int a = 1; a < argc; ++a) {
    std::vector<fs::path> files;
    if (fs::is_directory(argv[a]))
      for (const auto& entry : fs::directory_iterator(argv[a]))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
          files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    if (a == 1 && files.empty()) {
      std::fprintf(stderr, "%s: no inputs in %s\n", argv[0], argv[a]);
      return 1;
    }
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      // Named before running, so a crash's output says which input did it.
      std::fprintf(stderr, "running %s (%zu bytes)\n", f.c_str(), bytes.size());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++total;
    }
  }
  std::printf("%zu inputs ran without a crash\n", total);
  return 0;
}
