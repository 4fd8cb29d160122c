--
-- PostgreSQL database dump
--

-- Dumped from database version 14.10 (Debian 14.10-1.pgdg110+1)
-- Dumped by pg_dump version 14.10

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: public; Owner: crm
--

CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;


ALTER FUNCTION public.touch_updated_at() OWNER TO crm;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: creator_contacts; Type: TABLE; Schema: public; Owner: crm
--

CREATE TABLE public.creator_contacts (
    id bigint NOT NULL,
    creator_handle character varying(64) NOT NULL,
    business_email character varying(320),
    secondary_emails text[] DEFAULT '{}'::text[] NOT NULL,
    phone_e164 character varying(20),
    email_bounced boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.creator_contacts OWNER TO crm;

--
-- Name: COLUMN creator_contacts.business_email; Type: COMMENT; Schema: public; Owner: crm
--

COMMENT ON COLUMN public.creator_contacts.business_email IS 'from the creator''s Instagram business profile';


--
-- Name: creator_contacts_id_seq; Type: SEQUENCE; Schema: public; Owner: crm
--

CREATE SEQUENCE public.creator_contacts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.creator_contacts_id_seq OWNER TO crm;
ALTER SEQUENCE public.creator_contacts_id_seq OWNED BY public.creator_contacts.id;
ALTER TABLE ONLY public.creator_contacts ALTER COLUMN id SET DEFAULT nextval('public.creator_contacts_id_seq'::regclass);

--
-- Data for Name: creator_contacts; Type: TABLE DATA; Schema: public; Owner: crm
--

COPY public.creator_contacts (id, creator_handle, business_email, secondary_emails, phone_e164, email_bounced, updated_at) FROM stdin;
1	lena.travels	lena@example.org	{}	+4915550100	f	2023-01-12 10:00:00+00
2	urbanchef	\N	{chef@example.net}	\N	f	2023-01-13 09:12:44+00
\.


--
-- Name: creator_contacts creator_contacts_pkey; Type: CONSTRAINT; Schema: public; Owner: crm
--

ALTER TABLE ONLY public.creator_contacts
    ADD CONSTRAINT creator_contacts_pkey PRIMARY KEY (id);

CREATE INDEX creator_contacts_business_email_idx ON public.creator_contacts USING btree (business_email);

CREATE TRIGGER creator_contacts_touch BEFORE UPDATE ON public.creator_contacts FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

--
-- PostgreSQL database dump complete
--
