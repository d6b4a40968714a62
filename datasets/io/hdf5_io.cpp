#include "datasets/io/hdf5_io.hpp"

#include <fmt/format.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "datasets/io/output_file.hpp"

namespace fieldlab::io {
namespace {

// HDF5 prints its own error stack to stderr by default; we report one line of our own instead.
//
// And HDF5 must not close files itself at exit. A file whose flush failed (a full disk) cannot be
// closed: H5Fclose fails and leaves its ID open. HDF5's atexit handler (H5_term_library) then
// flushes it once more, fails again and reports that after its error package is gone, which
// crashed `train`, `predict` and `solve` with a segfault after their error message. Every file
// fieldlab writes is closed explicitly (checked, or discarded by close_after_failure), so at exit
// only such broken files remain, and the operating system closes their descriptors.
struct SilenceHdf5Errors {
  SilenceHdf5Errors() {
    H5dont_atexit();  // before any other HDF5 call: it only works before the library starts
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
};
const SilenceHdf5Errors silence_hdf5_errors;

// The errno a file driver recorded on this thread's HDF5 error stack ("errno = 28, error message
// = ..."), or 0: the real cause of a failed write (ENOSPC, EIO, EDQUOT), which HDF5's own
// messages ("file write failed") bury.
herr_t find_errno(unsigned, const H5E_error2_t* entry, void* data) {
  int& found = *static_cast<int*>(data);
  const char* text = entry->desc ? std::strstr(entry->desc, "errno = ") : nullptr;
  if (found == 0 && text) found = std::atoi(text + 8);
  return 0;
}

}  // namespace

int hdf5_system_errno() {
  int found = 0;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_errno, &found);
  return found;
}

// Fails with the system cause when the stack has one ("no space left on device while writing
// 'a.h5'", the file named by `where`), else with `what`.
void fail_hdf5(const std::string& what, hid_t where) {
  const int error = hdf5_system_errno();
  if (error != 0) {
    char file[4096] = {0};
    if (where >= 0 && H5Fget_name(where, file, sizeof file) > 0)
      fail_system(error, "writing", file);
    fail(ErrorKind::io, "{}: {}", what, system_message(error));
  }
  fail(ErrorKind::io, "{}", what);
}

namespace {

hid_t check(hid_t id, const std::string& what, hid_t where = -1) {
  if (id < 0) fail_hdf5(what, where);
  return id;
}

void check_status(herr_t status, const std::string& what, hid_t where = -1) {
  if (status < 0) fail_hdf5(what, where);
}

H5Handle string_type(size_t length) {
  H5Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.id(), length == 0 ? 1 : length);
  H5Tset_strpad(type.id(), H5T_STR_NULLTERM);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  return type;
}

void delete_attribute_if_present(hid_t object, const std::string& name) {
  if (has_attribute(object, name)) H5Adelete(object, name.c_str());
}

void write_raw_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type,
                         hid_t space, const void* data) {
  delete_attribute_if_present(object, name);
  // Each call's result is taken before its message is formatted: object_name() calls HDF5,
  // which clears the error stack that names the system cause.
  const hid_t created =
      H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (created < 0)
    fail_hdf5(fmt::format("cannot create attribute '{}' on {}", name, object_name(object)), object);
  H5Handle attribute(created);
  if (H5Awrite(attribute.id(), mem_type, data) < 0)
    fail_hdf5(fmt::format("cannot write attribute '{}' on {}", name, object_name(object)), object);
}

H5Handle open_attribute(hid_t object, const std::string& name) {
  return H5Handle(check(H5Aopen(object, name.c_str(), H5P_DEFAULT),
                        fmt::format("{} has no attribute '{}'", object_name(object), name)));
}

H5Handle select_block(hid_t dataset, const std::vector<hsize_t>& offset,
                      const std::vector<hsize_t>& count) {
  H5Handle space(H5Dget_space(dataset));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank != static_cast<int>(offset.size()) || rank != static_cast<int>(count.size()))
    fail(ErrorKind::io, "{}: block of rank {} requested from a rank-{} dataset",
         object_name(dataset), offset.size(), rank);
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  for (int d = 0; d < rank; ++d)
    if (offset[d] + count[d] > dims[d])
      fail(ErrorKind::io, "{}: block [{}+{}] exceeds dimension {} of size {}", object_name(dataset),
           offset[d], count[d], d, dims[d]);
  check_status(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, offset.data(), nullptr, count.data(),
                                   nullptr),
               "cannot select a hyperslab");
  return space;
}

template <typename T>
void read_block_as(hid_t dataset, const std::vector<hsize_t>& offset,
                   const std::vector<hsize_t>& count, hid_t mem_type, T* data) {
  H5Handle file_space = select_block(dataset, offset, count);
  H5Handle mem_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr));
  check_status(
      H5Dread(dataset, mem_type, mem_space.id(), file_space.id(), H5P_DEFAULT, data),
      fmt::format("cannot read from {} (truncated or corrupt file?)", object_name(dataset)));
}

template <typename T>
void write_block_as(hid_t dataset, const std::vector<hsize_t>& offset,
                    const std::vector<hsize_t>& count, hid_t mem_type, const T* data) {
  H5Handle file_space = select_block(dataset, offset, count);
  H5Handle mem_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr));
  if (H5Dwrite(dataset, mem_type, mem_space.id(), file_space.id(), H5P_DEFAULT, data) < 0)
    fail_hdf5(fmt::format("cannot write to {}", object_name(dataset)), dataset);
}

}  // namespace

std::recursive_mutex& hdf5_mutex() {
  // The Debian library is built thread-safe, so its error settings are per thread: a worker
  // thread (generate's OpenMP units) would print HDF5's own error stack. Every HDF5 user takes
  // this mutex first, so each thread silences its own stack here, once.
  thread_local const bool silenced = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  (void)silenced;
  static std::recursive_mutex m;
  return m;
}

void H5Handle::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE:
      H5Fclose(id_);
      break;
    case H5I_GROUP:
      H5Gclose(id_);
      break;
    case H5I_DATASET:
      H5Dclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    default:
      break;
  }
  id_ = -1;
}

const char* to_string(StorageType t) { return t == StorageType::float32 ? "float32" : "float64"; }

StorageType parse_storage_type(const std::string& name) {
  if (name == "float32") return StorageType::float32;
  if (name == "float64") return StorageType::float64;
  fail(ErrorKind::usage, "unknown dtype '{}' (expected float32 or float64)", name);
}

H5Handle create_file(const std::string& path) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) {
    const int error = hdf5_system_errno();
    if (error != 0) fail_system(error, "writing", path);
    fail(ErrorKind::io, "cannot create '{}' (is the directory writable?)", path);
  }
  return H5Handle(file);
}

H5Handle create_new_file(const std::string& path) {
  if (std::filesystem::exists(path)) return H5Handle();
  H5Handle file;
  H5E_BEGIN_TRY {
    file = H5Handle(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT));
  }
  H5E_END_TRY;
  const int error = file.valid() ? 0 : hdf5_system_errno();
  if (!file.valid() && error != 0 && error != EEXIST) {
    // Created here (exclusively) and left without a superblock: remove it.
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    fail_system(error, "writing", path);
  }
  if (!file.valid() && !std::filesystem::exists(path))
    fail(ErrorKind::io, "cannot create '{}' (is the directory writable?)", path);
  return file;
}

void close_file_checked(H5Handle& file, const std::string& path) {
  const herr_t flushed = H5Fflush(file.id(), H5F_SCOPE_LOCAL);
  int error = flushed < 0 ? hdf5_system_errno() : 0;
  const herr_t closed = H5Fclose(file.release());
  if (closed < 0 && error == 0) error = hdf5_system_errno();
  if (error != 0) fail_system(error, "writing", path);
  if (flushed < 0 || closed < 0)
    fail(ErrorKind::io, "writing '{}' failed when closing it (HDF5 reported an error)", path);
}

void close_after_failure(H5Handle& file) {
  if (!file.valid()) return;
  H5E_BEGIN_TRY { H5Fclose(file.release()); }
  H5E_END_TRY;
}

H5Handle open_file(const std::string& path, bool writable) {
  if (!std::filesystem::exists(path)) fail(ErrorKind::io, "no such file: '{}'", path);
  if (!is_hdf5_file(path)) fail(ErrorKind::io, "'{}' is not an HDF5 file", path);
  H5Handle access(H5Pcreate(H5P_FILE_ACCESS));
  // Readers skip HDF5's whole-file lock so `fieldlab info` can look at a file that a generator
  // is still writing: our writers never change metadata after creation, so reads stay coherent.
  if (!writable) H5Pset_file_locking(access.id(), false, true);
  return H5Handle(
      check(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, access.id()),
            fmt::format("cannot open '{}' (truncated or corrupt HDF5 file?)", path)));
}

bool is_hdf5_file(const std::string& path) { return H5Fis_hdf5(path.c_str()) > 0; }

bool has_object(hid_t location, const std::string& path) {
  // Walk the path one link at a time: H5Lexists fails on a missing intermediate group.
  std::string prefix;
  size_t start = path.front() == '/' ? 1 : 0;
  if (path.front() == '/') prefix = "/";
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    prefix += path.substr(start, end - start);
    if (H5Lexists(location, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    prefix += '/';
    start = end + 1;
  }
  return true;
}

bool has_attribute(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

H5Handle open_dataset(hid_t location, const std::string& path) {
  if (!has_object(location, path))
    fail(ErrorKind::io, "{} has no dataset '{}'", object_name(location), path);
  return H5Handle(
      check(H5Dopen2(location, path.c_str(), H5P_DEFAULT),
            fmt::format("cannot open dataset '{}' in {}", path, object_name(location))));
}

H5Handle open_frame_dataset(hid_t location, const std::string& path) {
  H5Handle d = open_dataset(location, path);
  H5Handle create(H5Dget_create_plist(d.id()));
  if (!create.valid() || H5Pget_layout(create.id()) != H5D_CHUNKED ||
      H5Pget_nfilters(create.id()) != 0)
    return d;
  H5Handle access(H5Pcreate(H5P_DATASET_ACCESS));
  if (!access.valid() ||
      H5Pset_chunk_cache(access.id(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0, 1.0) < 0)
    return d;
  // Closed first: a second open of a dataset still open shares its chunk cache settings.
  d.reset();
  return H5Handle(
      check(H5Dopen2(location, path.c_str(), access.id()),
            fmt::format("cannot open dataset '{}' in {}", path, object_name(location))));
}

H5Handle create_group(hid_t location, const std::string& path) {
  return H5Handle(check(H5Gcreate2(location, path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        fmt::format("cannot create group '{}'", path), location));
}

H5Handle open_group(hid_t location, const std::string& path) {
  return H5Handle(check(H5Gopen2(location, path.c_str(), H5P_DEFAULT),
                        fmt::format("{} has no group '{}'", object_name(location), path)));
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  H5Handle type = string_type(value.size() + 1);
  H5Handle space(H5Screate(H5S_SCALAR));
  write_raw_attribute(object, name, type.id(), type.id(), space.id(), value.c_str());
}

void write_attribute(hid_t object, const std::string& name, const char* value) {
  write_attribute(object, name, std::string(value));
}

void write_attribute(hid_t object, const std::string& name, double value) {
  H5Handle space(H5Screate(H5S_SCALAR));
  write_raw_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.id(), &value);
}

void write_attribute(hid_t object, const std::string& name, long long value) {
  H5Handle space(H5Screate(H5S_SCALAR));
  write_raw_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, space.id(), &value);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values) {
  hsize_t n = values.size();
  H5Handle space(H5Screate_simple(1, &n, nullptr));
  write_raw_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, space.id(), values.data());
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  H5Handle attribute = open_attribute(object, name);
  H5Handle type(H5Aget_type(attribute.id()));
  if (H5Tget_class(type.id()) != H5T_STRING)
    fail(ErrorKind::io, "attribute '{}' of {} is not a string", name, object_name(object));
  // One string only: H5Aread writes every element, so an array of strings (a hostile or foreign
  // file) overflowed the one pointer or buffer below (found by tests/fuzz, fuzz_trajectories).
  {
    H5Handle space(H5Aget_space(attribute.id()));
    const hssize_t n = H5Sget_simple_extent_npoints(space.id());
    if (n != 1)
      fail(ErrorKind::io, "attribute '{}' of {} holds {} strings, expected one", name,
           object_name(object), n);
  }
  // Read in the attribute's own character set: HDF5 converts no ASCII string to UTF-8, and other
  // writers (h5py's fixed-length strings, the HDF5 tools) store ASCII.
  const H5T_cset_t cset = H5Tget_cset(type.id());
  if (H5Tis_variable_str(type.id()) > 0) {
    char* text = nullptr;
    H5Handle mem = string_type(0);
    H5Tset_size(mem.id(), H5T_VARIABLE);
    if (cset >= 0) H5Tset_cset(mem.id(), cset);
    check_status(H5Aread(attribute.id(), mem.id(), &text), "cannot read string attribute");
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  const size_t size = H5Tget_size(type.id());
  std::string buffer(size, '\0');
  H5Handle mem = string_type(size);
  if (cset >= 0) H5Tset_cset(mem.id(), cset);
  check_status(H5Aread(attribute.id(), mem.id(), buffer.data()), "cannot read string attribute");
  buffer.resize(std::strlen(buffer.c_str()));
  return buffer;
}

// The readers of one value: H5Aread writes every element, so an attribute holding an array (a
// hostile or foreign file) overflowed the one value (found by tests/fuzz, fuzz_checkpoint).
static void require_one_value(hid_t attribute, hid_t object, const std::string& name) {
  H5Handle space(H5Aget_space(attribute));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n != 1)
    fail(ErrorKind::io, "attribute '{}' of {} holds {} values, expected one", name,
         object_name(object), n);
}

double read_double_attribute(hid_t object, const std::string& name) {
  H5Handle attribute = open_attribute(object, name);
  require_one_value(attribute.id(), object, name);
  double value = 0;
  check_status(H5Aread(attribute.id(), H5T_NATIVE_DOUBLE, &value),
               fmt::format("attribute '{}' of {} is not a number", name, object_name(object)));
  return value;
}

long long read_integer_attribute(hid_t object, const std::string& name) {
  H5Handle attribute = open_attribute(object, name);
  require_one_value(attribute.id(), object, name);
  long long value = 0;
  check_status(H5Aread(attribute.id(), H5T_NATIVE_LLONG, &value),
               fmt::format("attribute '{}' of {} is not an integer", name, object_name(object)));
  return value;
}

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  H5O_info_t info;
  if (H5Oget_info2(object, &info, H5O_INFO_NUM_ATTRS) < 0) return names;
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    char name[512];
    if (H5Aget_name_by_idx(object, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name,
                           H5P_DEFAULT) < 0 &&
        H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name,
                           H5P_DEFAULT) < 0)
      continue;
    names.emplace_back(name);
  }
  return names;
}

std::string attribute_as_text(hid_t object, const std::string& name) {
  H5Handle attribute = open_attribute(object, name);
  H5Handle type(H5Aget_type(attribute.id()));
  H5Handle space(H5Aget_space(attribute.id()));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (H5Tget_class(type.id()) == H5T_STRING)
    return n == 1 ? read_string_attribute(object, name) : fmt::format("<{} strings>", n);
  const H5T_class_t cls = H5Tget_class(type.id());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER) return "<unsupported type>";
  std::vector<double> values(n > 0 ? n : 1);
  if (H5Aread(attribute.id(), H5T_NATIVE_DOUBLE, values.data()) < 0) return "<unreadable>";
  // Integers print without a fraction; as doubles, since a uint64 beyond long long (or any cast
  // out of range) is undefined behaviour.
  auto number = [&](double v) {
    return cls == H5T_INTEGER ? fmt::format("{:.0f}", v) : fmt::format("{}", v);
  };
  if (H5Sget_simple_extent_type(space.id()) == H5S_SCALAR) return number(values[0]);
  std::string text = "[";
  for (hssize_t i = 0; i < n; ++i) text += (i ? ", " : "") + number(values[i]);
  return text + "]";
}

DatasetInfo dataset_info(hid_t dataset) {
  DatasetInfo info;
  H5Handle space(H5Dget_space(dataset));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  info.shape.resize(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space.id(), info.shape.data(), nullptr);
  H5Handle plist(H5Dget_create_plist(dataset));
  if (H5Pget_layout(plist.id()) == H5D_CHUNKED) {
    info.chunk.resize(rank);
    H5Pget_chunk(plist.id(), rank, info.chunk.data());
  }
  H5Handle type(H5Dget_type(dataset));
  info.element_size = H5Tget_size(type.id());
  switch (H5Tget_class(type.id())) {
    case H5T_FLOAT:
      info.type = fmt::format("float{}", 8 * info.element_size);
      break;
    case H5T_INTEGER:
      info.type = fmt::format("{}int{}", H5Tget_sign(type.id()) == H5T_SGN_NONE ? "u" : "",
                              8 * info.element_size);
      break;
    case H5T_STRING:
      info.type = "string";
      break;
    case H5T_COMPOUND:
      info.type = "compound";
      break;
    default:
      info.type = "other";
  }
  return info;
}

H5Handle create_preallocated_dataset(hid_t location, const std::string& name, hid_t file_type,
                                     const std::vector<hsize_t>& shape,
                                     const std::vector<hsize_t>& chunk) {
  H5Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr));
  H5Handle plist(H5Pcreate(H5P_DATASET_CREATE));
  if (!chunk.empty())
    check_status(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()),
                 fmt::format("invalid chunk shape for '{}'", name));
  H5Pset_alloc_time(plist.id(), H5D_ALLOC_TIME_EARLY);
  H5Pset_fill_time(plist.id(), H5D_FILL_TIME_NEVER);
  H5Handle access(H5Pcreate(H5P_DATASET_ACCESS));
  // A cache that holds a few chunks per dataset, so frames written one at a time into a chunk of
  // several frames are assembled in memory rather than read back from disk.
  H5Pset_chunk_cache(access.id(), 521, 64u << 20, 1.0);
  return H5Handle(check(H5Dcreate2(location, name.c_str(), file_type, space.id(), H5P_DEFAULT,
                                   plist.id(), access.id()),
                        fmt::format("cannot create dataset '{}'", name), location));
}

void write_dataset(hid_t location, const std::string& name, const std::vector<double>& values,
                   const std::vector<hsize_t>& shape, hid_t file_type) {
  H5Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr));
  H5Handle dataset(check(H5Dcreate2(location, name.c_str(), file_type, space.id(), H5P_DEFAULT,
                                    H5P_DEFAULT, H5P_DEFAULT),
                         fmt::format("cannot create dataset '{}'", name), location));
  check_status(
      H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
      fmt::format("cannot write dataset '{}'", name), location);
}

// Whole-dataset reads are for small arrays (coordinates, times, statistics): a dataset declaring
// more values than this (a corrupt or hostile file can declare 2^40 without storing them) is an
// io error naming it, not an allocation of its declared size.
constexpr std::size_t kMaxWholeDatasetValues = std::size_t{1} << 24;

std::vector<double> read_dataset_as_double(hid_t location, const std::string& name) {
  const std::size_t max_values = kMaxWholeDatasetValues;
  H5Handle dataset = open_dataset(location, name);
  H5Handle space(H5Dget_space(dataset.id()));
  const hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) fail(ErrorKind::io, "cannot read the shape of dataset '{}' (corrupt file?)", name);
  if (static_cast<std::size_t>(n) > max_values)
    fail(ErrorKind::io,
         "dataset '{}' declares {} values, more than the {} expected of it (corrupt file?)", name,
         n, max_values);
  std::vector<double> values(n);
  if (n > 0)
    check_status(
        H5Dread(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        fmt::format("cannot read dataset '{}' (truncated or corrupt file?)", name));
  return values;
}

void write_block(hid_t dataset, const std::vector<hsize_t>& offset,
                 const std::vector<hsize_t>& count, const double* data) {
  write_block_as(dataset, offset, count, H5T_NATIVE_DOUBLE, data);
}

void write_block(hid_t dataset, const std::vector<hsize_t>& offset,
                 const std::vector<hsize_t>& count, const float* data) {
  write_block_as(dataset, offset, count, H5T_NATIVE_FLOAT, data);
}

void write_block(hid_t dataset, const std::vector<hsize_t>& offset,
                 const std::vector<hsize_t>& count, const std::uint8_t* data) {
  write_block_as(dataset, offset, count, H5T_NATIVE_UINT8, data);
}

void write_block_stored(hid_t dataset, const std::vector<hsize_t>& offset,
                        const std::vector<hsize_t>& count, const double* data, StorageType storage,
                        std::vector<float>& scratch) {
  if (storage == StorageType::float64) return write_block(dataset, offset, count, data);
  size_t n = 1;
  for (hsize_t c : count) n *= static_cast<size_t>(c);
  scratch.assign(data, data + n);
  write_block(dataset, offset, count, scratch.data());
}

void read_block(hid_t dataset, const std::vector<hsize_t>& offset,
                const std::vector<hsize_t>& count, double* data) {
  H5Handle type(H5Dget_type(dataset));
  if (!(type.valid() && H5Tget_class(type.id()) == H5T_FLOAT && H5Tget_size(type.id()) == 4))
    return read_block_as(dataset, offset, count, H5T_NATIVE_DOUBLE, data);
  // float32 storage: read the floats as stored into the upper half of `data` and widen them in
  // place (exact), instead of through HDF5's type conversion, which allocates and clears a 1 MiB
  // buffer on every read. Going forwards, double i overwrites only floats already widened.
  size_t n = 1;
  for (hsize_t c : count) n *= static_cast<size_t>(c);
  auto* bytes = reinterpret_cast<unsigned char*>(data);
  unsigned char* floats = bytes + n * sizeof(float);
  read_block_as(dataset, offset, count, H5T_NATIVE_FLOAT, reinterpret_cast<float*>(floats));
  for (size_t i = 0; i < n; ++i) {
    float f;
    std::memcpy(&f, floats + i * sizeof(float), sizeof f);
    const double d = f;
    std::memcpy(bytes + i * sizeof(double), &d, sizeof d);
  }
}

void read_block(hid_t dataset, const std::vector<hsize_t>& offset,
                const std::vector<hsize_t>& count, float* data) {
  read_block_as(dataset, offset, count, H5T_NATIVE_FLOAT, data);
}

void read_block(hid_t dataset, const std::vector<hsize_t>& offset,
                const std::vector<hsize_t>& count, std::uint8_t* data) {
  read_block_as(dataset, offset, count, H5T_NATIVE_UINT8, data);
}

void flush(hid_t file) {
  check_status(H5Fflush(file, H5F_SCOPE_GLOBAL), "cannot flush file", file);
}

std::string object_name(hid_t object) {
  char file[1024] = {0}, path[1024] = {0};
  H5Fget_name(object, file, sizeof file);
  H5Iget_name(object, path, sizeof path);
  return fmt::format("{}:{}", std::filesystem::path(file).filename().string(), path);
}

void write_attribute(hid_t object, const Attribute& attribute) {
  std::visit([&](const auto& v) { write_attribute(object, attribute.name, v); }, attribute.value);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) text += (i ? "," : "") + names[i];
  return text;
}

}  // namespace fieldlab::io
