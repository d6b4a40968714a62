#pragma once
// Small RAII layer over the HDF5 C API: owned handles, attributes, and whole/partial dataset I/O.
// Every failure becomes a fieldlab::Error of kind io with the file and object named.
// The Debian HDF5 library is not thread-safe: callers that use HDF5 from several threads hold
// hdf5_mutex() around their calls (TrajectoryWriter does this for its users).

#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace fieldlab::io {

std::recursive_mutex& hdf5_mutex();

// Owns an hid_t and closes it with the right H5*close for its type.
class H5Handle {
 public:
  H5Handle() = default;
  explicit H5Handle(hid_t id) : id_(id) {}
  ~H5Handle() { reset(); }
  H5Handle(H5Handle&& other) noexcept : id_(std::exchange(other.id_, -1)) {}
  H5Handle& operator=(H5Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
    }
    return *this;
  }
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;
  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();
  // Gives up ownership without closing (for a caller that closes and checks the result itself).
  hid_t release() { return std::exchange(id_, -1); }

 private:
  hid_t id_ = -1;
};

enum class StorageType { float32, float64 };
const char* to_string(StorageType t);
StorageType parse_storage_type(const std::string& name);

H5Handle create_file(const std::string& path);  // truncates
// Creates `path` only if nothing is there; an invalid handle (no error) when it exists.
H5Handle create_new_file(const std::string& path);
// Flushes and closes a file, failing (io) when HDF5 reports an error on either: a file whose close
// failed may be missing data.
void close_file_checked(H5Handle& file, const std::string& path);
// Closes a file whose writing failed (or was abandoned) without letting a second failure escape:
// the objects still open in it are closed first, then the file, with HDF5's errors discarded.
// What a failed flush could not write is lost; callers delete or keep the file as a whole.
void close_after_failure(H5Handle& file);
H5Handle open_file(const std::string& path, bool writable);
bool is_hdf5_file(const std::string& path);

bool has_object(hid_t location, const std::string& path);
bool has_attribute(hid_t object, const std::string& name);
H5Handle open_dataset(hid_t location, const std::string& path);
// The same for datasets read a frame (or a window of frames) at a time: an unfiltered (not
// compressed) chunked dataset is opened without a chunk cache, so a frame is read straight from
// its bytes in the file instead of HDF5 first reading its whole chunk (16 frames at 64^2) into a
// 1 MiB cache that random frame reads thrash (measured: 55 -> 17 us per 64^2 frame). A filtered
// dataset keeps HDF5's default cache, which saves decompressing a chunk once per frame.
H5Handle open_frame_dataset(hid_t location, const std::string& path);
H5Handle create_group(hid_t location, const std::string& path);
H5Handle open_group(hid_t location, const std::string& path);

// Attributes: scalar strings and numbers, and 1D numeric arrays. Writing replaces.
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, const char* value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, long long value);
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values);
// A named attribute of any supported type, for writers that take lists of metadata.
using AttributeValue = std::variant<std::string, double, long long, std::vector<double>>;
struct Attribute {
  std::string name;
  AttributeValue value;
};
void write_attribute(hid_t object, const Attribute& attribute);
// Lists of names (fields, channels) are stored as one comma-separated string attribute.
std::string join_names(const std::vector<std::string>& names);
std::string read_string_attribute(hid_t object, const std::string& name);
double read_double_attribute(hid_t object, const std::string& name);
long long read_integer_attribute(hid_t object, const std::string& name);
std::vector<std::string> attribute_names(hid_t object);
// Any attribute rendered as text (numbers printed, arrays as [a, b, ...]).
std::string attribute_as_text(hid_t object, const std::string& name);

struct DatasetInfo {
  std::vector<hsize_t> shape;
  std::vector<hsize_t> chunk;  // empty when contiguous
  std::string type;            // float32, float64, int32, uint8, ...
  size_t element_size = 0;
};
DatasetInfo dataset_info(hid_t dataset);

// Creates a dataset whose storage is allocated at creation and never filled, so later writes
// touch raw data only: the file's metadata is complete and consistent from the first flush on.
H5Handle create_preallocated_dataset(hid_t location, const std::string& name, hid_t file_type,
                                     const std::vector<hsize_t>& shape,
                                     const std::vector<hsize_t>& chunk);

// Whole-dataset convenience for small 1D/2D arrays.
void write_dataset(hid_t location, const std::string& name, const std::vector<double>& values,
                   const std::vector<hsize_t>& shape, hid_t file_type);
std::vector<double> read_dataset_as_double(hid_t location, const std::string& name);

// Hyperslab I/O: the block at `offset` with extent `count`, converted to/from double or float.
void write_block(hid_t dataset, const std::vector<hsize_t>& offset,
                 const std::vector<hsize_t>& count, const double* data);
void write_block(hid_t dataset, const std::vector<hsize_t>& offset,
                 const std::vector<hsize_t>& count, const float* data);
void write_block(hid_t dataset, const std::vector<hsize_t>& offset,
                 const std::vector<hsize_t>& count, const std::uint8_t* data);
// Doubles into a dataset stored as `storage`. For float32 storage the values are rounded here,
// through `scratch` (reused across calls), instead of by HDF5's type conversion, which allocates
// and clears a 1 MiB buffer on every write (a quarter of a 128^2 dam-break sample's time).
void write_block_stored(hid_t dataset, const std::vector<hsize_t>& offset,
                        const std::vector<hsize_t>& count, const double* data, StorageType storage,
                        std::vector<float>& scratch);
void read_block(hid_t dataset, const std::vector<hsize_t>& offset,
                const std::vector<hsize_t>& count, double* data);
void read_block(hid_t dataset, const std::vector<hsize_t>& offset,
                const std::vector<hsize_t>& count, float* data);
void read_block(hid_t dataset, const std::vector<hsize_t>& offset,
                const std::vector<hsize_t>& count, std::uint8_t* data);

void flush(hid_t file);

// The errno a file driver left on this thread's HDF5 error stack after a failed call (0: none).
// Read it before any other HDF5 call: each one clears the stack.
int hdf5_system_errno();
// Throws Error(io) for a failed HDF5 call: "no space left on device while writing 'a.h5'" (the
// file holding `where`) when the stack names a system error, else `what`.
[[noreturn]] void fail_hdf5(const std::string& what, hid_t where);
std::string object_name(hid_t object);  // "file.h5:/path" for messages

}  // namespace fieldlab::io
