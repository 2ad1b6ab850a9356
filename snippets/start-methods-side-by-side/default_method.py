import multiprocessing

if __name__ == "__main__":
    print("available here:", multiprocessing.get_all_start_methods())
    print("chosen so far: ", multiprocessing.get_start_method(allow_none=True))
    print("the default:   ", multiprocessing.get_start_method())  # this call fixes it
    print("chosen so far: ", multiprocessing.get_start_method(allow_none=True))
