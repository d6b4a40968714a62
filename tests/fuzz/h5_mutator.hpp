#pragma once
// Structure-aware HDF5 input for the reader harnesses. libhdf5 is not robust to corrupted bytes
// (its own crashes are not ours to fix), so the fuzz bytes never reach it as a file: they drive
// mutations of a VALID file's structure instead. The structure (groups, datasets with type,
// shape and values, attributes) is read once from a small seed file written by fieldlab itself
// (tests/fuzz/seeds/*.h5); each input is a list of mutations (drop an object or attribute, move
// it to another known name, change its type, its shape (up to declared sizes of 2^40 elements,
// stored chunked with no data written), poke values (NaN, inf, huge, negative), replace strings,
// add attributes). The result is written as a valid HDF5 file on tmpfs, whose path the harness
// hands to the reader under test, which must read it or throw fieldlab::Error.
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace fieldlab::fuzz {

// Reads the fuzz bytes front to back; past the end every read is 0.
class Bytes {
 public:
  Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v = v << 8 | u8();
    return v;
  }
  std::string text(std::size_t max) {
    const std::size_t n = std::min<std::size_t>(u8() % (max + 1), size_ - std::min(pos_, size_));
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// raw: any other type (compounds such as a checkpoint's history), kept as the file's bytes.
enum class Kind { integer, real, string, raw };

// One value array: a dataset's or an attribute's. Numbers are kept as doubles or int64 and
// written in `size` bytes; strings as std::string (written variable-length or fixed).
struct Values {
  Kind kind = Kind::real;
  std::size_t size = 8;  // bytes per element in the file
  bool is_signed = true;
  bool vlen = true;  // strings
  H5T_cset_t cset = H5T_CSET_UTF8;
  std::vector<hsize_t> dims;
  bool scalar = false;  // H5S_SCALAR (dims empty)
  std::vector<double> reals;
  std::vector<long long> ints;
  std::vector<std::string> strings;
  hid_t raw_type = -1;  // raw: the file's type, open for the process's life (seeds only)
  std::vector<unsigned char> raw;

  hsize_t count() const {
    hsize_t n = 1;
    for (hsize_t d : dims) n *= d;
    return n;
  }
};

struct Attr {
  std::string name;
  Values values;
};

struct Object {
  std::string path;  // absolute
  bool group = false;
  Values values;       // datasets
  bool stored = true;  // false: declared shape too large to write, chunked and left unwritten
  std::vector<Attr> attrs;
};

namespace detail {

inline Values read_values(hid_t obj, bool attribute) {
  Values v;
  const hid_t type = attribute ? H5Aget_type(obj) : H5Dget_type(obj);
  const hid_t space = attribute ? H5Aget_space(obj) : H5Dget_space(obj);
  const int rank = H5Sget_simple_extent_ndims(space);
  v.scalar = H5Sget_simple_extent_type(space) == H5S_SCALAR;
  v.dims.resize(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, v.dims.data(), nullptr);
  const hsize_t n = v.scalar ? 1 : v.count();
  const H5T_class_t cls = H5Tget_class(type);
  v.size = H5Tget_size(type);
  auto read = [&](hid_t mem, void* buf) {
    if (attribute)
      H5Aread(obj, mem, buf);
    else
      H5Dread(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  };
  if (cls == H5T_INTEGER) {
    v.kind = Kind::integer;
    v.is_signed = H5Tget_sign(type) == H5T_SGN_2;
    v.ints.resize(n);
    read(H5T_NATIVE_LLONG, v.ints.data());
  } else if (cls == H5T_FLOAT) {
    v.kind = Kind::real;
    v.reals.resize(n);
    read(H5T_NATIVE_DOUBLE, v.reals.data());
  } else if (cls == H5T_STRING) {
    v.kind = Kind::string;
    v.vlen = H5Tis_variable_str(type) > 0;
    v.cset = H5Tget_cset(type);
    v.strings.resize(n);
    if (v.vlen) {
      std::vector<char*> ptrs(n);
      const hid_t mem = H5Tcopy(H5T_C_S1);
      H5Tset_size(mem, H5T_VARIABLE);
      H5Tset_cset(mem, v.cset);
      read(mem, ptrs.data());
      for (hsize_t k = 0; k < n; ++k) v.strings[k] = ptrs[k] ? ptrs[k] : "";
      for (char* p : ptrs) H5free_memory(p);
      H5Tclose(mem);
    } else {
      std::vector<char> buf(n * v.size);
      const hid_t mem = H5Tcopy(type);
      read(mem, buf.data());
      for (hsize_t k = 0; k < n; ++k)
        v.strings[k] =
            std::string(buf.data() + k * v.size, strnlen(buf.data() + k * v.size, v.size));
      H5Tclose(mem);
    }
  } else {
    // Compound, enum, ...: the bytes as stored, written back with the same type.
    v.kind = Kind::raw;
    v.raw_type = H5Tcopy(type);
    v.raw.resize(n * v.size);
    read(v.raw_type, v.raw.data());
  }
  H5Sclose(space);
  H5Tclose(type);
  return v;
}

struct VisitState {
  std::vector<Object>* objects;
};

inline herr_t collect_attr(hid_t loc, const char* name, const H5A_info_t*, void* op) {
  auto* attrs = static_cast<std::vector<Attr>*>(op);
  const hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  attrs->push_back({name, read_values(a, true)});
  H5Aclose(a);
  return 0;
}

inline herr_t collect(hid_t root, const char* name, const H5O_info_t* info, void* op) {
  auto* objects = static_cast<std::vector<Object>*>(op);
  Object o;
  o.path = std::string(name) == "." ? "/" : "/" + std::string(name);
  const hid_t obj = H5Oopen(root, name, H5P_DEFAULT);
  if (info->type == H5O_TYPE_GROUP) {
    o.group = true;
  } else if (info->type == H5O_TYPE_DATASET) {
    o.values = read_values(obj, false);
  } else {
    H5Oclose(obj);
    return 0;
  }
  H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attr, &o.attrs);
  H5Oclose(obj);
  objects->push_back(std::move(o));
  return 0;
}

inline hid_t file_type(const Values& v) {
  if (v.kind == Kind::string) {
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, v.vlen ? H5T_VARIABLE : std::max<std::size_t>(v.size, 1));
    H5Tset_cset(t, v.cset);
    return t;
  }
  if (v.kind == Kind::raw) return H5Tcopy(v.raw_type);
  if (v.kind == Kind::real) return H5Tcopy(v.size == 4 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE);
  switch (v.size) {
    case 1:
      return H5Tcopy(v.is_signed ? H5T_STD_I8LE : H5T_STD_U8LE);
    case 2:
      return H5Tcopy(v.is_signed ? H5T_STD_I16LE : H5T_STD_U16LE);
    case 4:
      return H5Tcopy(v.is_signed ? H5T_STD_I32LE : H5T_STD_U32LE);
    default:
      return H5Tcopy(v.is_signed ? H5T_STD_I64LE : H5T_STD_U64LE);
  }
}

// Writes `v` through `write(mem_type, buffer)`.
template <class Write>
void write_values(const Values& v, Write write) {
  if (v.kind == Kind::raw) {
    write(v.raw_type, v.raw.data());
  } else if (v.kind == Kind::real) {
    write(H5T_NATIVE_DOUBLE, v.reals.data());
  } else if (v.kind == Kind::integer) {
    write(H5T_NATIVE_LLONG, v.ints.data());
  } else if (v.vlen) {
    std::vector<const char*> ptrs;
    for (const auto& s : v.strings) ptrs.push_back(s.c_str());
    const hid_t mem = H5Tcopy(H5T_C_S1);
    H5Tset_size(mem, H5T_VARIABLE);
    H5Tset_cset(mem, v.cset);
    write(mem, ptrs.data());
    H5Tclose(mem);
  } else {
    const std::size_t size = std::max<std::size_t>(v.size, 1);
    std::vector<char> buf(v.strings.size() * size, '\0');
    for (std::size_t k = 0; k < v.strings.size(); ++k)
      std::memcpy(buf.data() + k * size, v.strings[k].data(), std::min(size, v.strings[k].size()));
    const hid_t mem = file_type(v);
    write(mem, buf.data());
    H5Tclose(mem);
  }
}

inline hid_t space_of(const Values& v) {
  if (v.scalar) return H5Screate(H5S_SCALAR);
  if (v.dims.empty()) return H5Screate(H5S_NULL);
  return H5Screate_simple(static_cast<int>(v.dims.size()), v.dims.data(), nullptr);
}

// Keeps the value arrays' lengths equal to the shape's element count (when stored).
inline void fit(Values& v, hsize_t n) {
  v.reals.resize(v.kind == Kind::real ? n : 0);
  v.ints.resize(v.kind == Kind::integer ? n : 0);
  v.strings.resize(v.kind == Kind::string ? n : 0);
  v.raw.resize(v.kind == Kind::raw ? n * v.size : 0);
}

inline void create_parents(hid_t file, const std::string& path) {
  for (std::size_t p = path.find('/', 1); p != std::string::npos; p = path.find('/', p + 1)) {
    const std::string parent = path.substr(0, p);
    if (H5Lexists(file, parent.c_str(), H5P_DEFAULT) <= 0) {
      const hid_t g = H5Gcreate2(file, parent.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (g >= 0) H5Gclose(g);
    }
  }
}

}  // namespace detail

// The structure of a seed file, read once.
inline std::vector<Object> read_structure(const std::string& path) {
  std::vector<Object> objects;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) {
    std::fprintf(stderr, "h5_mutator: cannot open seed %s\n", path.c_str());
    std::abort();
  }
  H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, detail::collect, &objects, H5O_INFO_BASIC);
  H5Fclose(file);
  return objects;
}

// Applies the mutations the bytes describe. `names` are extra object and attribute names to
// move things to (the layouts' other names).
inline void mutate(std::vector<Object>& objects, Bytes& in, const std::vector<std::string>& names) {
  static const hsize_t sizes[] = {0, 1, 2, 3, 4, 7, 16, 1000, 1u << 20, 1ull << 31, 1ull << 40};
  static const double specials[] = {std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity(),
                                    -1.0,
                                    0.0,
                                    1e300,
                                    -1e300,
                                    2147483648.0,
                                    4e18,
                                    0.5};
  static const long long special_ints[] = {-1,
                                           0,
                                           1,
                                           2,
                                           255,
                                           65536,
                                           2147483647LL,
                                           -2147483648LL,
                                           std::numeric_limits<long long>::max(),
                                           std::numeric_limits<long long>::min()};
  for (int step = 0; step < 32 && !in.empty() && !objects.empty(); ++step) {
    const std::uint8_t op = in.u8();
    Object& o = objects[in.u8() % objects.size()];
    Values* v = &o.values;
    // Half the operations on an attribute of the object, when it has any.
    if ((op & 0x80) && !o.attrs.empty())
      v = &o.attrs[in.u8() % o.attrs.size()].values;
    else if (o.group && (op & 7) != 4 && (op & 7) != 6 && (op & 7) != 7)
      continue;
    switch (op & 7) {
      case 0: {  // shape
        const int rank = in.u8() % 5;
        v->scalar = rank == 0 && (in.u8() & 1);
        v->dims.assign(rank, 1);
        for (auto& d : v->dims) d = sizes[in.u8() % std::size(sizes)];
        const hsize_t n = v->scalar ? 1 : v->count();
        const bool big = rank > 0 && (n > (1u << 16) || [&] {
                           for (hsize_t d : v->dims)
                             if (d > (1u << 16)) return true;
                           return false;
                         }());
        bool stored = !big;
        if (v == &o.values) {
          o.stored = stored;
        } else if (big) {  // attributes are always stored
          v->dims.assign(1, 1);
          stored = true;
        }
        detail::fit(*v, stored ? (v->scalar ? 1 : v->count()) : 0);
        break;
      }
      case 1: {  // type
        const std::uint8_t t = in.u8() % 9;
        const Kind kind = t < 4 ? Kind::integer : t < 6 ? Kind::real : Kind::string;
        static const std::size_t bytes[] = {1, 2, 4, 8, 4, 8, 1, 8, 3};
        const std::size_t n = v->reals.size() + v->ints.size() + v->strings.size() +
                              (v->kind == Kind::raw ? v->raw.size() / v->size : 0);
        v->size = bytes[t];
        v->is_signed = in.u8() & 1;
        v->vlen = t == 8 ? false : t >= 6 ? true : v->vlen;
        v->cset = (in.u8() & 1) ? H5T_CSET_ASCII : H5T_CSET_UTF8;
        v->kind = kind;
        detail::fit(*v, n);
        for (std::size_t k = 0; k < n && kind == Kind::string; ++k) v->strings[k] = in.text(12);
        break;
      }
      case 2:
      case 3: {  // values
        const std::uint32_t at = in.u32();
        const std::uint8_t s = in.u8();
        if (!v->reals.empty()) v->reals[at % v->reals.size()] = specials[s % std::size(specials)];
        if (!v->ints.empty())
          v->ints[at % v->ints.size()] = special_ints[s % std::size(special_ints)];
        if (!v->strings.empty()) v->strings[at % v->strings.size()] = in.text(40);
        if (!v->raw.empty()) v->raw[at % v->raw.size()] = s;
        break;
      }
      case 4:  // drop
        if (v == &o.values)
          o.path.clear();
        else
          for (auto& a : o.attrs)
            if (&a.values == v) a.name.clear();
        break;
      case 5:  // fill all values with one special (e.g. every frame time NaN)
        for (auto& r : v->reals) r = specials[in.u8() % std::size(specials)];
        for (auto& i : v->ints) i = special_ints[in.u8() % std::size(special_ints)];
        break;
      case 6: {  // rename to a known name (object or attribute)
        if (names.empty()) break;
        const std::string& n = names[in.u8() % names.size()];
        if (v == &o.values)
          o.path = n.front() == '/' ? n : "/" + n;
        else
          for (auto& a : o.attrs)
            if (&a.values == v) a.name = n.front() == '/' ? n.substr(1) : n;
        break;
      }
      case 7: {  // add an attribute
        if (names.empty()) break;
        Attr a;
        a.name = names[in.u8() % names.size()];
        if (a.name.front() == '/') a.name = a.name.substr(1);
        a.values.scalar = true;
        if (in.u8() & 1) {
          a.values.kind = Kind::string;
          a.values.strings = {in.text(40)};
        } else {
          a.values.kind = Kind::real;
          a.values.reals = {specials[in.u8() % std::size(specials)]};
        }
        o.attrs.push_back(std::move(a));
        break;
      }
    }
  }
}

// Writes the structure as an HDF5 file at `path` (built in memory, then written in one go).
// Objects or attributes HDF5 refuses (a name taken twice, a dataset under a dataset) are left out.
inline void write_structure(const std::vector<Object>& objects, const std::string& path) {
  H5E_BEGIN_TRY {
    const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_core(fapl, 1 << 16, 0);  // in memory, no backing store
    const hid_t file = H5Fcreate("fuzz-image.h5", H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    for (const Object& o : objects) {
      if (o.path.empty()) continue;
      hid_t obj = -1;
      if (o.group) {
        if (o.path == "/") {
          obj = H5Oopen(file, "/", H5P_DEFAULT);
        } else {
          detail::create_parents(file, o.path);
          obj = H5Gcreate2(file, o.path.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        }
      } else {
        detail::create_parents(file, o.path);
        const hid_t type = detail::file_type(o.values);
        const hid_t space = detail::space_of(o.values);
        hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        if (!o.stored) {  // declared, not written: chunks of at most 64 elements per dimension
          std::vector<hsize_t> chunk(o.values.dims.size());
          for (std::size_t k = 0; k < chunk.size(); ++k)
            chunk[k] = std::max<hsize_t>(1, std::min<hsize_t>(o.values.dims[k], 64));
          H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
        }
        obj = H5Dcreate2(file, o.path.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        if (obj >= 0 && o.stored && (o.values.scalar || o.values.count() > 0))
          detail::write_values(o.values, [&](hid_t mem, const void* buf) {
            H5Dwrite(obj, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
          });
        H5Pclose(dcpl);
        H5Sclose(space);
        H5Tclose(type);
      }
      if (obj < 0) continue;
      for (const Attr& a : o.attrs) {
        if (a.name.empty()) continue;
        const hid_t type = detail::file_type(a.values);
        const hid_t space = detail::space_of(a.values);
        const hid_t attr = H5Acreate2(obj, a.name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
        if (attr >= 0 && (a.values.scalar || a.values.count() > 0))
          detail::write_values(a.values,
                               [&](hid_t mem, const void* buf) { H5Awrite(attr, mem, buf); });
        if (attr >= 0) H5Aclose(attr);
        H5Sclose(space);
        H5Tclose(type);
      }
      H5Oclose(obj);
    }
    H5Fflush(file, H5F_SCOPE_GLOBAL);
    const ssize_t size = H5Fget_file_image(file, nullptr, 0);
    std::vector<char> image(size > 0 ? size : 0);
    if (size > 0) H5Fget_file_image(file, image.data(), image.size());
    H5Fclose(file);
    H5Pclose(fapl);
    FILE* f = std::fopen(path.c_str(), "wb");
    if (f) {
      std::fwrite(image.data(), 1, image.size(), f);
      std::fclose(f);
    }
  }
  H5E_END_TRY;
}

// A per-process path on tmpfs for the mutated file.
inline std::string scratch_path(const char* harness) {
  return "/dev/shm/fieldlab-fuzz-" + std::string(harness) + "-" + std::to_string(getpid()) + ".h5";
}

}  // namespace fieldlab::fuzz
